package application

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// RetentionDeps are the ports the retention service needs. Observer may be nil.
type RetentionDeps struct {
	Store    ports.RetentionStore
	Blobs    ports.BlobStore
	Clock    ports.Clock
	Observer ports.RetentionObserver
	Log      *slog.Logger
}

// RetentionConfig tunes the retention service. Zero values take the defaults named on each
// field, except Days, where 0 keeps every task.
type RetentionConfig struct {
	// Days is TASK_RETENTION_DAYS: finished tasks older than that go; 0 keeps every task.
	Days     int
	Interval time.Duration // between passes; default 5 min
	// BatchSize is how many tasks one DeleteFinished takes (and how many orphan blobs
	// one OrphanBlobs lists); default 500: each batch is a short transaction that locks
	// only its own rows, so submits never wait long behind it.
	BatchSize int
	// MaxBatches bounds the batches of each kind per pass; default 200 (100,000 tasks). A
	// deeper backlog is worked off over the following passes.
	MaxBatches int
	OpTimeout  time.Duration // each store or blob call; default 10s
}

// Retention defaults.
const (
	DefaultRetentionInterval   = 5 * time.Minute
	DefaultRetentionBatch      = 500
	DefaultRetentionMaxBatches = 200
)

func (c RetentionConfig) withDefaults() (RetentionConfig, error) {
	if c.Days < 0 || c.Days > domain.MaxTaskRetentionDays || c.Interval < 0 || c.BatchSize < 0 ||
		c.MaxBatches < 0 || c.OpTimeout < 0 {
		return c, errors.New("application: retention settings out of range")
	}
	c.Interval = orDefault(c.Interval, DefaultRetentionInterval)
	c.BatchSize = orDefault(c.BatchSize, DefaultRetentionBatch)
	c.MaxBatches = orDefault(c.MaxBatches, DefaultRetentionMaxBatches)
	c.OpTimeout = orDefault(c.OpTimeout, DefaultWorkerOpTimeout)
	return c, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// RetentionPass is what one pass removed.
type RetentionPass struct {
	domain.RetentionBatch
	Blobs int // blobs deleted because their last artifact went
}

// Retention deletes finished tasks older than the retention, with their artifacts' metadata
// and runs, and then the blobs no artifact references any more. The rule is the same in
// both modes; only the store behind ports.RetentionStore differs. Every step is safe to run
// in several processes at once (the store hands each batch's tasks to one caller and
// settles each blob once), so every worker process runs it; one would be enough.
//
// A blob goes only through RetentionStore.ReleaseBlob, which deletes it while no artifact of
// the same bytes can be written: an artifact written just after finds the bytes gone and
// puts them again (ArtifactService.Create looks once more after writing its row).
type Retention struct {
	deps RetentionDeps
	cfg  RetentionConfig

	bg background

	passMu sync.Mutex // one pass at a time in this process
}

// NewRetention returns the service, or an error naming a missing dependency.
func NewRetention(d RetentionDeps, cfg RetentionConfig) (*Retention, error) {
	if d.Store == nil || d.Blobs == nil || d.Clock == nil || d.Log == nil {
		return nil, errors.New("application: retention needs Store, Blobs, Clock and Log")
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Retention{deps: d, cfg: c}, nil
}

// Start runs a pass at once and then every Interval, in the background, until Stop.
func (r *Retention) Start(ctx context.Context) error {
	return r.bg.start(ctx, "retention", r.run)
}

// Stop ends the background passes and waits for a running pass to give up. It is
// idempotent and safe before Start.
func (r *Retention) Stop(ctx context.Context) error {
	return r.bg.halt(ctx)
}

func (r *Retention) run(ctx context.Context) {
	tick := time.NewTicker(r.cfg.Interval)
	defer tick.Stop()
	for {
		if _, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil {
			r.deps.Log.Warn("retention_failed", "error", err.Error())
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

// RunOnce makes one pass: batches of finished tasks past the cutoff until none is left
// (or MaxBatches), then the blobs that lost their last artifact. It logs retention_pass
// with what went and returns it; on an error it still reports what went before.
func (r *Retention) RunOnce(ctx context.Context) (RetentionPass, error) {
	r.passMu.Lock()
	defer r.passMu.Unlock()
	began := r.deps.Clock.Now()
	var pass RetentionPass
	errTasks := r.deleteTasks(ctx, began, &pass)
	// Blobs are settled even when no task went in this pass: a note left by a pass that
	// failed half-way (or by another process) is finished here.
	errBlobs := r.releaseBlobs(ctx, &pass)
	err := errors.Join(errTasks, errBlobs)
	if pass.Tasks > 0 || pass.Blobs > 0 || err != nil {
		r.deps.Log.Info("retention_pass", "tasks", pass.Tasks, "artifacts", pass.Artifacts, "runs", pass.Runs,
			"blobs", pass.Blobs, "retention_days", r.cfg.Days, "duration_ms", r.deps.Clock.Now().Sub(began).Milliseconds(),
			"failed", err != nil)
	} else {
		r.deps.Log.Debug("retention_pass", "tasks", 0, "artifacts", 0, "runs", 0, "blobs", 0, "retention_days", r.cfg.Days)
	}
	return pass, err
}

func (r *Retention) deleteTasks(ctx context.Context, now time.Time, pass *RetentionPass) error {
	cutoff, ok := domain.Limits{TaskRetentionDays: r.cfg.Days}.RetentionCutoff(now)
	if !ok {
		return nil
	}
	for range r.cfg.MaxBatches {
		opCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
		b, err := r.deps.Store.DeleteFinished(opCtx, domain.RetentionQuery{Before: cutoff, Limit: r.cfg.BatchSize})
		done()
		if err != nil {
			return err
		}
		pass.Tasks += b.Tasks
		pass.Artifacts += b.Artifacts
		pass.Runs += b.Runs
		r.observe(b.Tasks, b.Artifacts, 0)
		if b.Tasks < r.cfg.BatchSize {
			return nil
		}
	}
	return nil
}

// releaseBlobs settles the noted orphan candidates, a page at a time. A blob the store
// cannot delete keeps its note; the pass then stops releasing, so that it does not list the
// same failing note again and again, and a later pass retries it.
func (r *Retention) releaseBlobs(ctx context.Context, pass *RetentionPass) error {
	for range r.cfg.MaxBatches {
		opCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
		sums, err := r.deps.Store.OrphanBlobs(opCtx, r.cfg.BatchSize)
		done()
		if err != nil || len(sums) == 0 {
			return err
		}
		for _, sum := range sums {
			if err := r.release(ctx, sum, pass); err != nil {
				return err
			}
		}
		if len(sums) < r.cfg.BatchSize {
			return nil
		}
	}
	return nil
}

func (r *Retention) release(ctx context.Context, sum string, pass *RetentionPass) error {
	freed, err := releaseBlob(ctx, r.deps.Store, r.deps.Blobs, sum, r.cfg.OpTimeout)
	if err != nil {
		return err
	}
	if freed {
		pass.Blobs++
		r.observe(0, 0, 1)
	}
	return nil
}

// releaseBlob settles one orphan candidate through the store, deleting its bytes when no
// artifact references them. One deadline covers the whole release: the store holds the
// blob's lock for as long as remove runs, so remove must not outlive it.
func releaseBlob(ctx context.Context, store ports.RetentionStore, blobs ports.BlobStore, sum string, timeout time.Duration) (bool, error) {
	opCtx, done := context.WithTimeout(ctx, timeout)
	defer done()
	key := domain.BlobKey(sum)
	return store.ReleaseBlob(opCtx, sum, func(ctx context.Context) error {
		return blobs.Delete(ctx, key)
	})
}

func (r *Retention) observe(tasks, artifacts, blobs int) {
	if r.deps.Observer != nil && tasks+artifacts+blobs > 0 {
		r.deps.Observer.RetentionRemoved(tasks, artifacts, blobs)
	}
}
