package application

import (
	"context"
	"sync"
	"time"
	"unicode/utf8"

	"taskrunner/domain"
)

// DefaultBeatInterval is how often the worker writes heartbeat_at and pending progress of
// the tasks it runs (WorkerConfig.Beat): the record shows a live attempt within a few
// seconds, and a task shorter than one interval is never written by a beat at all.
const DefaultBeatInterval = 3 * time.Second

// ProgressReporter is how a handler says how far it got. The worker hands one to every
// attempt through the handler's context (see ReportProgress): a report only keeps the
// value, and the worker's beat writes the latest one, so a handler may report as often as
// it likes.
type ProgressReporter interface {
	ReportProgress(p domain.Progress)
}

type progressKey struct{}

// withProgress returns ctx carrying r for the handler.
func withProgress(ctx context.Context, r ProgressReporter) context.Context {
	return context.WithValue(ctx, progressKey{}, r)
}

// ReportProgress tells the attempt running under ctx how far its handler got; without a
// reporter on ctx (a handler called outside a worker) it does nothing.
func ReportProgress(ctx context.Context, done, total int64, message string) {
	if r, ok := ctx.Value(progressKey{}).(ProgressReporter); ok {
		r.ReportProgress(domain.Progress{Done: done, Total: total, Message: progressMessage(message)})
	}
}

// maxProgressMessage bounds a progress message in bytes: it rides along every beat.
const maxProgressMessage = 200

// progressMessage is message as the record can keep it: no NUL, at most
// maxProgressMessage bytes, cut at a rune boundary.
func progressMessage(message string) string {
	m := domain.StorableText(message)
	if len(m) <= maxProgressMessage {
		return m
	}
	cut := maxProgressMessage
	for cut > 0 && !utf8.RuneStart(m[cut]) {
		cut--
	}
	return m[:cut]
}

// attemptView is a running attempt's record as the worker last stored it, and the
// progress its handler reported since: the beat's input and the finish's Seen.
type attemptView struct {
	mu      sync.Mutex
	token   string
	running bool
	since   time.Time // runtime clock: when the attempt began, for the first beat's delay
	task    domain.Task
	pending *domain.Progress
}

// ReportProgress implements ProgressReporter.
func (v *attemptView) ReportProgress(p domain.Progress) {
	v.mu.Lock()
	v.pending = &p
	v.mu.Unlock()
}

// began records the stored start of the attempt.
func (v *attemptView) began(t domain.Task) {
	v.mu.Lock()
	v.task, v.running, v.since = t, true, time.Now()
	v.mu.Unlock()
}

// stored records a write of the attempt's record (its start written late); progress
// reported meanwhile stays pending.
func (v *attemptView) stored(t domain.Task) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.task = t
}

// snapshot is the record as last stored.
func (v *attemptView) snapshot() domain.Task {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.task
}

// settled is the record as last stored, with the progress not yet written folded in:
// the finish writes it with the outcome (see finishUpdate).
func (v *attemptView) settled() domain.Task {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.running = false
	t := v.task
	if v.pending != nil {
		p := *v.pending
		t.Progress = &p
	}
	return t
}

// beatChange is the beat of this attempt, or false when it is not due: not running yet
// or any more, or running for less than one interval.
func (v *attemptView) beatChange(now time.Time, every time.Duration) (domain.TaskChange, *domain.Progress, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.running || time.Since(v.since) < every {
		return domain.TaskChange{}, nil, false
	}
	seen := v.task
	p, token := v.pending, v.token
	return domain.TaskChange{ID: seen.ID, Seen: &seen, Apply: func(t *domain.Task) error {
		return t.Beat(token, p, now)
	}}, p, true
}

// beaten stores the beat's result; a progress reported meanwhile stays pending.
func (v *attemptView) beaten(t domain.Task, written *domain.Progress) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.running {
		return
	}
	v.task = t
	if v.pending == written {
		v.pending = nil
	}
}

// beats writes, every Beat, heartbeat_at and pending progress of every attempt running for
// longer than that: one UpdateMany per tick for all of them (each change carries its
// Seen, so the store writes without reading), none when no task runs that long.
func (w *Worker) beats(ctx context.Context) {
	defer close(w.beatsDone)
	tick := time.NewTicker(w.cfg.Beat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			w.beatOnce(ctx)
		}
	}
}

func (w *Worker) beatOnce(ctx context.Context) {
	now := w.deps.Clock.Now()
	var changes []domain.TaskChange
	var views []*attemptView
	var written []*domain.Progress
	w.inflight.Range(func(_, v any) bool {
		view := v.(*inflight).view
		if c, p, ok := view.beatChange(now, w.cfg.Beat); ok {
			changes, views, written = append(changes, c), append(views, view), append(written, p)
		}
		return true
	})
	if len(changes) == 0 {
		return
	}
	opCtx, done := context.WithTimeout(ctx, w.cfg.OpTimeout)
	defer done()
	var results []domain.ChangeResult
	if w.deps.Batch != nil {
		var err error
		if results, err = w.deps.Batch.UpdateMany(opCtx, changes); err != nil {
			w.deps.Log.Warn("task_beat_failed", "tasks", len(changes), "error", err.Error())
			return
		}
	} else {
		results = w.updateEach(opCtx, changes)
	}
	for i, r := range results {
		// An error is an attempt that ended or was taken over meanwhile: its own path
		// deals with that; the beat just has nothing to write.
		if r.Err == nil {
			views[i].beaten(r.Task, written[i])
		}
	}
}
