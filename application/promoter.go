package application

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"taskrunner/ports"
)

// Due promotion: how a scheduled task becomes queued in the record.
//
// The queue is the timer: it holds a deferred id (or a retry) until its time and then
// delivers it like any other, and the worker starts a scheduled task directly. So the
// record only needs to say `queued` for a due task no worker has taken yet (all busy),
// which is bookkeeping, not delivery. Doing it per task (a write when it falls due) would
// cost a round trip per deferred task on the delivery path; instead one statement every
// PromoteInterval flips every due row at once. With nothing due that statement is one
// probe of a small partial index (PostgreSQL: scheduled rows only, by run_at), so it costs
// nothing worth measuring even with many processes running it; a task started before its
// promotion goes scheduled → running, which no client can tell from a promotion it missed.
const (
	DefaultPromoteInterval = time.Second
	// DefaultPromoteBatch bounds one statement; a pass repeats it while batches come back
	// full, at most promoteRounds times, so a burst of due tasks is caught up within a few
	// passes without one pass holding the store for long.
	DefaultPromoteBatch = 1000
	promoteRounds       = 10
)

// PromoterDeps are the ports the promoter needs.
type PromoterDeps struct {
	Store ports.DuePromoter
	Clock ports.Clock
	Log   *slog.Logger
}

// PromoterConfig tunes the promoter. Zero values take the defaults.
type PromoterConfig struct {
	Interval  time.Duration // between passes; default DefaultPromoteInterval
	Batch     int           // tasks per statement; default DefaultPromoteBatch
	OpTimeout time.Duration // each statement; default DefaultWorkerOpTimeout
}

// Promoter runs due promotion in the background: any number may run side by side (each
// row is promoted once, by whichever statement reaches it first).
type Promoter struct {
	deps PromoterDeps
	cfg  PromoterConfig

	bg background
}

// NewPromoter returns a promoter, or an error naming a missing dependency or bad setting.
func NewPromoter(d PromoterDeps, cfg PromoterConfig) (*Promoter, error) {
	if d.Store == nil || d.Clock == nil || d.Log == nil {
		return nil, errors.New("application: promoter needs Store, Clock and Log")
	}
	if cfg.Interval < 0 || cfg.Batch < 0 || cfg.OpTimeout < 0 {
		return nil, errors.New("application: promoter settings must not be negative")
	}
	if cfg.Interval == 0 {
		cfg.Interval = DefaultPromoteInterval
	}
	if cfg.Batch == 0 {
		cfg.Batch = DefaultPromoteBatch
	}
	if cfg.OpTimeout == 0 {
		cfg.OpTimeout = DefaultWorkerOpTimeout
	}
	return &Promoter{deps: d, cfg: cfg}, nil
}

// Start runs a pass every Interval in the background until Stop. It does not block.
func (p *Promoter) Start(ctx context.Context) error {
	return p.bg.start(ctx, "promoter", p.run)
}

// Stop ends the passes and waits for a running one to give up. Idempotent; safe before
// Start.
func (p *Promoter) Stop(ctx context.Context) error {
	return p.bg.halt(ctx)
}

func (p *Promoter) run(ctx context.Context) {
	tick := time.NewTicker(p.cfg.Interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
		if _, err := p.RunOnce(ctx); err != nil && ctx.Err() == nil {
			p.deps.Log.Warn("promote_due_failed", "error", err.Error())
		}
	}
}

// RunOnce promotes every task due now, in batches, and returns how many it promoted.
func (p *Promoter) RunOnce(ctx context.Context) (int, error) {
	total := 0
	for range promoteRounds {
		opCtx, done := context.WithTimeout(ctx, p.cfg.OpTimeout)
		n, err := p.deps.Store.PromoteDue(opCtx, p.deps.Clock.Now(), p.cfg.Batch)
		done()
		total += n
		if err != nil {
			return total, err
		}
		if n < p.cfg.Batch {
			break
		}
	}
	if total > 0 {
		p.deps.Log.Debug("tasks_promoted", "count", total)
	}
	return total, nil
}
