package ports

import (
	"context"
	"time"

	"taskrunner/domain"
)

// RunStore records runs (one processing of a keyed piece of work) with metrics and notes.
type RunStore interface {
	// Record stores a run with its metrics and notes, all or nothing.
	Record(ctx context.Context, r domain.Run) error
	// HasBeenProcessed reports whether a run exists for domain.RunKey(scope, key), and when
	// the latest one finished (zero time when none).
	HasBeenProcessed(ctx context.Context, scope, key string) (bool, time.Time, error)
	// LatestRunForKey returns the most recently finished run with the full (scope-prefixed)
	// key, with metrics and notes, or an error matching domain.ErrNotFound.
	LatestRunForKey(ctx context.Context, key string) (domain.Run, error)
}
