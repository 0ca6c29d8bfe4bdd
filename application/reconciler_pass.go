package application

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"taskrunner/domain"
)

// position is where one status's walk through its stale tasks stands between passes.
type position struct {
	after    domain.StaleCursor // the next page starts after it; zero: from the oldest
	failures int                // passes in a row whose page at after had an error
}

// maxPageRetries is how many passes in a row retry a page that had errors before the walk
// moves past it: a queue outage is retried where it struck, while one task that always
// fails does not hold back the tasks behind it (the walk comes round to it again).
const maxPageRetries = 3

// pass examines up to MaxPages pages of tasks in status updated before cutoff, starting
// where the previous pass stopped. Always reading the oldest BatchSize tasks instead would
// re-check the same ones every pass in a deep backlog (thousands of queued tasks the queue
// still holds, long runs still leased), while a task the queue lost further back waited for
// all of them to drain. A short page means the walk reached the newest stale task, and the
// next pass starts again from the oldest. An update sets UpdatedAt to now, which only ever
// moves a task forward in the order, so a walk misses no task that stays stale throughout.
func (r *Reconciler) pass(ctx context.Context, status domain.Status, cutoff time.Time) (int, error) {
	pos := r.positions[status]
	if pos == nil {
		pos = &position{}
		r.positions[status] = pos
	}
	total := 0
	for range r.cfg.MaxPages {
		listCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
		page, err := r.deps.Store.ListStale(listCtx, domain.StaleQuery{
			Status: status, UpdatedBefore: cutoff, Limit: r.cfg.BatchSize, After: pos.after,
		})
		done()
		if err != nil {
			return total, fmt.Errorf("list stale %s tasks: %w", status, err)
		}
		n, err := r.repairPage(ctx, page)
		total += n
		if ctx.Err() != nil {
			return total, err // stopping: the page is read again next time
		}
		if err != nil {
			// Most errors are a queue or store outage: stop here, and retry this page next
			// pass rather than walk the backlog without repairing anything.
			if pos.failures++; pos.failures >= maxPageRetries {
				pos.after, pos.failures = r.next(page), 0
			}
			return total, err
		}
		pos.after, pos.failures = r.next(page), 0
		if pos.after.IsZero() {
			return total, nil
		}
	}
	return total, nil
}

// next is the cursor after page: the start again when the page was the last (short).
func (r *Reconciler) next(page []domain.Task) domain.StaleCursor {
	if len(page) < r.cfg.BatchSize || len(page) == 0 {
		return domain.StaleCursor{}
	}
	return domain.StaleCursorAt(page[len(page)-1])
}

// repairPage repairs the tasks of one page, Concurrency at a time: each costs a queue round
// trip at least, and a page is a thousand of them. It returns how many it requeued and the
// error of the earliest task in the page that failed (joined with ctx's when stopped).
func (r *Reconciler) repairPage(ctx context.Context, page []domain.Task) (int, error) {
	var (
		requeued atomic.Int64
		errs     = make([]error, len(page))
		wg       sync.WaitGroup
		slots    = make(chan struct{}, r.cfg.Concurrency)
	)
	for i, t := range page {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			ok, err := r.repair(ctx, t)
			if err != nil {
				errs[i] = fmt.Errorf("task %s: %w", t.ID, err)
			}
			if ok {
				requeued.Add(1)
			}
		})
	}
	wg.Wait()
	first := firstError(errs)
	if err := ctx.Err(); err != nil {
		return int(requeued.Load()), errors.Join(first, err)
	}
	return int(requeued.Load()), first
}

// firstError returns the first non-nil error, or nil.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
