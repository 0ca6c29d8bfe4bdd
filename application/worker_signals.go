package application

import (
	"context"
	"time"

	"taskrunner/ports"
)

// Resubscription backoff after the signal channel closed unexpectedly.
const (
	resubscribeMin = 100 * time.Millisecond
	resubscribeMax = 5 * time.Second
)

// subscribe establishes a subscription that lives as long as life, while the call itself
// gives up when ctx (the caller's start-up deadline) ends first.
func subscribe(ctx, life context.Context, s ports.CancelSignals) (<-chan string, error) {
	type answer struct {
		ch  <-chan string
		err error
	}
	subCtx, cancel := context.WithCancel(life)
	got := make(chan answer, 1)
	go func() {
		ch, err := s.Subscribe(subCtx)
		got <- answer{ch, err}
	}()
	select {
	case a := <-got:
		if a.err != nil {
			cancel()
			return nil, a.err
		}
		// subCtx is a child of life, so the subscription ends with it; AfterFunc only
		// releases subCtx's resources at that point.
		context.AfterFunc(life, cancel)
		return a.ch, nil
	case <-ctx.Done():
		cancel()
		return nil, ctx.Err()
	}
}

// listen cancels running tasks whose ids arrive on the signal channel. Should the channel
// close while the worker runs (the broker dropped the subscription), it subscribes again
// with backoff; meanwhile the heartbeat's re-read of the record still catches cancels.
func (w *Worker) listen(life context.Context, ch <-chan string) {
	defer close(w.signalsDone)
	for {
		for id := range ch {
			if v, ok := w.inflight.Load(id); ok {
				v.(*inflight).cancel(errCancelRequested)
			}
		}
		ch = w.resubscribe(life)
		if ch == nil {
			return
		}
	}
}

// resubscribe retries Subscribe with backoff until it works or life ends (then nil).
func (w *Worker) resubscribe(life context.Context) <-chan string {
	for delay := resubscribeMin; ; delay = min(delay*2, resubscribeMax) {
		if life.Err() != nil {
			return nil
		}
		w.deps.Log.WarnContext(life, "cancel_signals_lost", "retry_in_ms", delay.Milliseconds())
		if !sleepOrDone(life, delay) {
			return nil
		}
		ch, err := subscribe(life, life, w.deps.Signals)
		if err == nil {
			return ch
		}
		if life.Err() == nil {
			w.deps.Log.WarnContext(life, "cancel_signals_resubscribe_failed", "error", err.Error())
		}
	}
}
