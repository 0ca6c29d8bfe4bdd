package application

import (
	"context"
	"sync"
	"time"

	"taskrunner/domain"
)

// run keeps up to Concurrency deliveries in flight, each slot on its own: a slot that frees
// up is refilled at once while more may be due, so one slow receiver (an attempt may take
// the whole Timeout) holds only its own slot, never the deliveries of other tasks. On Stop
// it cancels the attempts in flight and returns once they have (their claims lapse).
func (d *CallbackDeliverer) run(ctx context.Context) {
	slots := make(chan struct{}, d.cfg.Concurrency) // a token per delivery in flight
	freed := make(chan struct{}, 1)                 // a delivery ended: a slot is free
	var inflight sync.WaitGroup
	defer inflight.Wait()
	poll := time.NewTimer(0)
	defer poll.Stop()
	due := false // something may be due that no claim has taken yet
	for {
		if free := cap(slots) - len(slots); due && free > 0 {
			n := d.dispatch(ctx, free, slots, freed, &inflight)
			// A claim that filled every free slot may have left more due: claim again as
			// soon as a slot frees. One that did not took everything due now.
			due = n == free
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-d.nudge:
			due = true
		case <-poll.C:
			due = true
			poll.Reset(d.cfg.Poll)
		case <-freed:
		}
	}
}

// dispatch claims up to free due deliveries and starts each in a slot of its own, which it
// gives back (and says so on freed) when the delivery ends. It returns how many it claimed.
// Only run takes slots, and never more than are free, so taking one never blocks.
func (d *CallbackDeliverer) dispatch(ctx context.Context, free int, slots, freed chan struct{}, inflight *sync.WaitGroup) int {
	tasks := d.claim(ctx, free)
	for _, t := range tasks {
		slots <- struct{}{}
		inflight.Add(1)
		go func() {
			defer inflight.Done()
			defer func() {
				<-slots
				select {
				case freed <- struct{}{}:
				default: // a wake-up is pending already
				}
			}()
			d.deliver(ctx, t)
		}()
	}
	return len(tasks)
}

// RunOnce claims what is due now (up to Concurrency), delivers it and records the
// outcomes, and returns how many deliveries it claimed. Tests call it to step the
// deliverer by hand; the background loop refills each slot on its own instead.
func (d *CallbackDeliverer) RunOnce(ctx context.Context) int {
	tasks := d.claim(ctx, d.cfg.Concurrency)
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.deliver(ctx, t)
		}()
	}
	wg.Wait()
	return len(tasks)
}

// claim leases up to limit due deliveries; none when the outbox fails (logged).
func (d *CallbackDeliverer) claim(ctx context.Context, limit int) []domain.Task {
	now := d.deps.Clock.Now()
	opCtx, cancel := context.WithTimeout(ctx, d.cfg.OpTimeout)
	defer cancel()
	tasks, err := d.deps.Outbox.ClaimDueCallbacks(opCtx, domain.CallbackClaim{
		Now: now, LeaseUntil: now.Add(d.cfg.Lease), Limit: limit})
	if err != nil {
		if ctx.Err() == nil {
			d.deps.Log.Warn("webhook_claim_failed", "error", err.Error())
		}
		return nil
	}
	return tasks
}
