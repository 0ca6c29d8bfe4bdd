package redis

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.Queue  = (*Queue)(nil)
	_ ports.Pinger = (*Queue)(nil)
)

// Tuning of Dequeue; see the package comment for the design they belong to.
const (
	// maxBlock bounds one BLMOVE: how late a delayed id enqueued while every consumer
	// blocks can be promoted, and how long a cancelled Dequeue may take to return.
	maxBlock = 200 * time.Millisecond
	// promoteEvery gates promotion while ready is not empty.
	promoteEvery = 100 * time.Millisecond
	// promoteBatch bounds the work of one promotion (and so one script's run time).
	promoteBatch = 500
	// claimTimeout is how long an id may sit in claiming before it is presumed orphaned;
	// a live consumer claims within a round trip.
	claimTimeout = 5 * time.Second
)

// queueService names the queue in Unavailable errors and /health.
const queueService = "queue"

// Queue is ports.Queue on Redis: see the package comment for the design. Any number of
// Queue values, in any number of processes, may share one prefix.
type Queue struct {
	client *goredis.Client
	keys   keys
}

// NewQueue returns the queue stored under prefix (REDIS_PREFIX).
func NewQueue(client *goredis.Client, prefix string) (*Queue, error) {
	if client == nil {
		return nil, errors.New("redis queue: client is nil")
	}
	if err := ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	return &Queue{client: client, keys: newKeys(prefix)}, nil
}

// Ping reports whether Redis answers.
func (q *Queue) Ping(ctx context.Context) error { return ping(ctx, q.client, queueService) }

// Enqueue implements ports.Queue.
func (q *Queue) Enqueue(ctx context.Context, item domain.QueueItem) error {
	if item.TaskID == "" {
		return errors.New("redis queue: empty task id")
	}
	err := enqueueScript.Run(ctx, q.client, q.keys.queue,
		item.TaskID, unixMs(item.NotBefore), priorityArg(item)).Err()
	return q.err(ctx, err)
}

// Extend implements ports.Queue.
func (q *Queue) Extend(ctx context.Context, l domain.Lease, d time.Duration) error {
	k := q.keys
	return q.held(ctx, extendScript.Run(ctx, q.client, []string{k.leased, k.tokens},
		l.TaskID, l.Token, leaseMs(d)))
}

// Ack implements ports.Queue.
func (q *Queue) Ack(ctx context.Context, l domain.Lease) error {
	k := q.keys
	return q.held(ctx, ackScript.Run(ctx, q.client, []string{k.leased, k.tokens, k.entries, k.lapsed},
		l.TaskID, l.Token))
}

// Release implements ports.Queue.
func (q *Queue) Release(ctx context.Context, l domain.Lease, notBefore time.Time) error {
	return q.held(ctx, releaseScript.Run(ctx, q.client, q.keys.queue, l.TaskID, l.Token, unixMs(notBefore)))
}

// Contains implements ports.Queue.
func (q *Queue) Contains(ctx context.Context, taskID string) (bool, error) {
	ok, err := q.client.HExists(ctx, q.keys.entries, taskID).Result()
	return ok, q.err(ctx, err)
}

// Depth implements ports.Queue. One script reads every count, so they agree.
func (q *Queue) Depth(ctx context.Context) (int64, error) {
	n, err := depthScript.Run(ctx, q.client, q.keys.queue).Int64()
	if err != nil {
		return 0, q.err(ctx, err)
	}
	return n, nil
}

// held interprets the 1/0 answer of a script that checks a lease token.
func (q *Queue) held(ctx context.Context, cmd *goredis.Cmd) error {
	n, err := cmd.Int()
	if err != nil {
		return q.err(ctx, err)
	}
	if n == 0 {
		return domain.ErrLeaseLost
	}
	return nil
}

func (q *Queue) err(ctx context.Context, err error) error { return translate(ctx, queueService, err) }

// priorityArg is item's lane (1..4) as a script argument.
func priorityArg(item domain.QueueItem) string { return strconv.Itoa(item.QueuePriority()) }

// unixMs is a not-before argument: 0 for the zero time (deliver now). It rounds up to the
// next millisecond, the scripts' resolution: rounding down would deliver a task due at
// 12.3456 s at 12.345 s, before its run_at.
func unixMs(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	ms := t.UnixMilli()
	if t.After(time.UnixMilli(ms)) {
		ms++
	}
	return strconv.FormatInt(ms, 10)
}

// leaseMs is a lease length argument, at least 1 ms.
func leaseMs(d time.Duration) string {
	return strconv.FormatInt(max(d.Milliseconds(), 1), 10)
}

// newToken returns a random token for one delivery.
func newToken() string { return rand.Text() }

// errBadReply reports a script answer of an unexpected shape (a bug, not an outage).
func errBadReply(script string, v any) error {
	return fmt.Errorf("redis queue: %s script returned %T %v", script, v, v)
}
