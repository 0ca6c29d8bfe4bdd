package application

import (
	"context"
	"errors"

	"taskrunner/domain"
	"taskrunner/ports"
)

// maxRunKeyLen bounds a looked-up key: every key taskrunner records is a hex sha256,
// perhaps after "batch:".
const maxRunKeyLen = 128

// RunLookup is what is known about one keyed piece of work: whether it was ever processed
// and its latest run.
type RunLookup struct {
	Scope     string
	Key       string // as asked, without the scope prefix
	Processed bool
	// Latest is the most recently finished run, nil when none; it can be nil with Processed
	// true when the run went (memory mode frees old runs) between the two reads.
	Latest *domain.Run
}

// RunService answers whether a search or fetch was processed, from the run store, so that
// a client can ask before submitting the same work again.
type RunService struct {
	runs ports.RunStore
}

// NewRunService returns the service, or an error when the run store is missing.
func NewRunService(runs ports.RunStore) (*RunService, error) {
	if runs == nil {
		return nil, errors.New("application: run service needs a RunStore")
	}
	return &RunService{runs: runs}, nil
}

// Lookup reports the runs of (scope, key): scope is "search" or "fetch", key the request
// key (a search artifact's metadata.request_key, or a fetch's FetchKey). An unknown scope
// or a key that no run could have is invalid_request.
func (s *RunService) Lookup(ctx context.Context, scope, key string) (RunLookup, error) {
	if err := checkRunQuery(scope, key); err != nil {
		return RunLookup{}, err
	}
	out := RunLookup{Scope: scope, Key: key}
	processed, _, err := s.runs.HasBeenProcessed(ctx, scope, key)
	if err != nil || !processed {
		return out, err
	}
	out.Processed = true
	run, err := s.runs.LatestRunForKey(ctx, domain.RunKey(scope, key))
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return out, nil
	case err != nil:
		return RunLookup{}, err
	}
	out.Latest = &run
	return out, nil
}

func checkRunQuery(scope, key string) error {
	switch scope {
	case domain.ScopeSearch, domain.ScopeFetch:
	case "":
		return domain.InvalidRequest("scope", "scope is required (search or fetch)")
	default:
		return domain.InvalidRequest("scope", "unknown scope %q (search or fetch)", scope)
	}
	if key == "" || len(key) > maxRunKeyLen {
		return domain.InvalidRequest("key", "key must be 1 to %d characters", maxRunKeyLen)
	}
	for _, r := range key {
		if !isKeyChar(r) {
			return domain.InvalidRequest("key", "key holds only ASCII letters, digits, ':', '.', '_' and '-'")
		}
	}
	return nil
}

func isKeyChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r == ':' || r == '.' || r == '_' || r == '-'
}
