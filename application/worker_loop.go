package application

import (
	"context"
	"time"
)

// Backoff of a loop after the queue or the store failed, so an outage costs a trickle of
// calls rather than a hot spin.
const (
	loopBackoffMin = 50 * time.Millisecond
	loopBackoffMax = 5 * time.Second
)

// loop is one unit of concurrency: it blocks in Dequeue until a task id arrives (no
// polling), handles that delivery to the end, and repeats until Stop begins.
func (w *Worker) loop() {
	defer w.loops.Done()
	delay := loopBackoffMin
	for {
		lease, pre, err := w.dequeue()
		if err != nil {
			if w.runCtx.Err() != nil {
				return
			}
			w.deps.Log.Warn("queue_dequeue_failed", "error", err.Error(), "retry_in_ms", delay.Milliseconds())
			if !sleepOrDone(w.runCtx, delay) {
				return
			}
			delay = min(delay*2, loopBackoffMax)
			continue
		}
		if w.deliver(lease, pre) {
			delay = loopBackoffMin
			continue
		}
		if !sleepOrDone(w.runCtx, delay) {
			return
		}
		delay = min(delay*2, loopBackoffMax)
	}
}

// opCtx bounds one store or queue call: OpTimeout, or sooner when Stop is told to hurry.
func (w *Worker) opCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(w.abortCtx, w.cfg.OpTimeout)
}
