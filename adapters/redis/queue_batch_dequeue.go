package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"taskrunner/domain"
)

// DequeueMany implements ports.BatchQueue the way Dequeue works: one script when work is
// ready, otherwise a short blocking BLMOVE of one id into claiming, then a claim that
// leases that id together with whatever else is ready by then. At most maxBatch ids are
// leased per call.
func (q *Queue) DequeueMany(ctx context.Context, limit int, d time.Duration) ([]domain.Lease, error) {
	if limit < 1 {
		return nil, fmt.Errorf("redis queue: DequeueMany wants at least 1 id, got max %d", limit)
	}
	limit = min(limit, maxBatch)
	k := q.keys
	lease := leaseMs(d)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		base := newToken()
		res, err := dequeueManyScript.Run(ctx, q.client, k.queue,
			lease, base, promoteEvery.Milliseconds(), promoteBatch, claimTimeout.Milliseconds(), limit).Slice()
		if err != nil {
			return nil, q.dequeueErr(ctx, err)
		}
		if len(res) != 3 {
			return nil, errBadReply("dequeue many", res)
		}
		ids, again, err := parseLeased("dequeue many", res[0], res[2])
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			return batchLeases(ids, again, base), nil
		}
		wait, ok := res[1].(int64)
		if !ok {
			return nil, errBadReply("dequeue many", res)
		}

		id, err := q.blockForReady(ctx, blockFor(ctx, wait))
		if err != nil {
			if errors.Is(err, domain.ErrNotFound) { // block timed out: promote and look again
				continue
			}
			return nil, q.dequeueErr(ctx, err)
		}
		leases, err := q.claimMany(ctx, id, lease, base, limit)
		if err != nil || len(leases) > 0 {
			return leases, err
		}
		// The id was recovered or lost meanwhile and nothing else was ready: look again.
	}
}

// claimMany leases up to limit ready ids, by priority, after blockForReady moved id to
// claiming (see claimManyScript). It runs even when ctx ended during the block (go-redis
// finishes a blocking command regardless), so the id does not wait in claiming for
// claimTimeout; it is then handed straight back.
func (q *Queue) claimMany(ctx context.Context, id, lease, base string, limit int) ([]domain.Lease, error) {
	if ctx.Err() != nil {
		// Claim (and release, below) only one id: taking more just to put them back would
		// reorder ready for nothing.
		limit = 1
	}
	k := q.keys
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readTimeout)
	defer cancel()
	res, err := claimManyScript.Run(cctx, q.client, k.queue, id, lease, base, limit).Slice()
	if err != nil {
		return nil, q.dequeueErr(ctx, err)
	}
	if len(res) != 2 {
		return nil, errBadReply("claim many", res)
	}
	ids, again, err := parseLeased("claim many", res[0], res[1])
	if err != nil {
		return nil, err
	}
	leases := batchLeases(ids, again, base)
	if ctx.Err() != nil {
		// ctx ended during the claim. Best effort (otherwise the leases expire), newest
		// first: Release puts an id at the front of ready, so the oldest ends up first again.
		for i := len(leases) - 1; i >= 0; i-- {
			_ = q.Release(cctx, leases[i], time.Time{})
		}
		return nil, ctx.Err()
	}
	return leases, nil
}

// batchLeases pairs ids leased under base with their tokens (see luaLeaseIDs); the ids
// at the 1-based positions again are redeliveries.
func batchLeases(ids []string, again []int64, base string) []domain.Lease {
	leases := make([]domain.Lease, len(ids))
	for i, id := range ids {
		leases[i] = domain.Lease{TaskID: id, Token: batchToken(base, i+1)}
	}
	for _, k := range again {
		if k >= 1 && int(k) <= len(leases) {
			leases[k-1].Redelivered = true
		}
	}
	return leases
}

// batchToken is the token luaLeaseIDs gives the i-th (1-based) id of a batch leased under
// base.
func batchToken(base string, i int) string { return base + "." + strconv.Itoa(i) }

// parseLeased reads a lease script's ids and redelivery positions.
func parseLeased(op string, rawIDs, rawAgain any) ([]string, []int64, error) {
	idList, ok1 := rawIDs.([]any)
	againList, ok2 := rawAgain.([]any)
	if !ok1 || !ok2 {
		return nil, nil, errBadReply(op, []any{rawIDs, rawAgain})
	}
	ids := make([]string, len(idList))
	for i, v := range idList {
		id, ok := v.(string)
		if !ok {
			return nil, nil, errBadReply(op, idList)
		}
		ids[i] = id
	}
	again := make([]int64, len(againList))
	for i, v := range againList {
		k, ok := v.(int64)
		if !ok {
			return nil, nil, errBadReply(op, againList)
		}
		again[i] = k
	}
	return ids, again, nil
}
