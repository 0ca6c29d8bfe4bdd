package redis

import (
	"context"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/domain"
)

// Dequeue implements ports.Queue as a batch of one (DequeueMany): one script when work is
// ready, otherwise a short blocking BLMOVE that wakes as soon as an id is pushed, then a
// claim. See the package comment.
func (q *Queue) Dequeue(ctx context.Context, d time.Duration) (domain.Lease, error) {
	leases, err := q.DequeueMany(ctx, 1, d)
	if err != nil {
		return domain.Lease{}, err
	}
	return leases[0], nil
}

// dequeueErr prefers ctx.Err() once ctx has ended, as the port promises.
func (q *Queue) dequeueErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return q.err(ctx, err)
}

// blockForReady waits up to wait for an id in ready and moves it to claiming. It returns
// domain.ErrNotFound when the wait ended empty.
//
// The command is built by hand because go-redis's BLMove rounds timeouts up to whole
// seconds; Redis takes fractional seconds. The client's read timeout (readTimeout in
// connect.go, or the caller's own) must exceed maxBlock.
func (q *Queue) blockForReady(ctx context.Context, wait time.Duration) (string, error) {
	secs := strconv.FormatFloat(wait.Seconds(), 'f', 3, 64)
	cmd := goredis.NewStringCmd(ctx, "blmove", q.keys.ready, q.keys.claiming, "RIGHT", "LEFT", secs)
	_ = q.client.Process(ctx, cmd)
	id, err := cmd.Result()
	if err != nil {
		return "", q.dequeueErr(ctx, err)
	}
	return id, nil
}

// blockFor turns the script's "ms until something falls due" (-1: nothing scheduled) into
// a block length: at most maxBlock, and no later than ctx's deadline, so a Dequeue with a
// deadline returns on time.
func blockFor(ctx context.Context, waitMs int64) time.Duration {
	wait := maxBlock
	if waitMs >= 0 {
		wait = min(wait, time.Duration(waitMs)*time.Millisecond)
	}
	if deadline, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(deadline))
	}
	return max(wait, time.Millisecond)
}
