package application

import (
	"time"

	"taskrunner/domain"
)

// maxDeferral bounds how far a handler may push its task back in one deferral: a handler
// computes Until from what a server said (a Crawl-delay) or a shared schedule, and neither
// should park a task out of sight.
const maxDeferral = time.Hour

func isDeferral(err error) bool {
	_, ok := domain.AsDeferral(err)
	return ok
}

// deferTask puts a task whose handler asked to run later back as scheduled, its attempt
// not counted, and releases the queue entry until then. A cancel requested meanwhile wins.
func (w *Worker) deferTask(lease domain.Lease, task domain.Task, err error, ran time.Duration) {
	d, _ := domain.AsDeferral(err)
	now := w.deps.Clock.Now()
	at := d.Until
	if at.Before(now) {
		at = now
	}
	if at.After(now.Add(maxDeferral)) {
		at = now.Add(maxDeferral)
	}
	// Microseconds: the precision PostgreSQL keeps, so the record and the queue agree.
	at = at.Truncate(time.Microsecond)
	t, ok := w.giveBack(lease, task, ran, now, func(t *domain.Task) error { return t.Defer(at, now) })
	if !ok {
		return
	}
	w.deps.Log.Info("task_deferred", "task_id", t.ID, "type", string(t.Type), "reason", d.Reason,
		"delay_ms", at.Sub(now).Milliseconds())
	w.release(lease, at)
}
