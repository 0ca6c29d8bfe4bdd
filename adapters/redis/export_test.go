package redis

import (
	"context"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/domain"
)

// EnqueuePipelined is the alternative to EnqueueMany that BenchmarkQueueEnqueueMany
// measures it against: one round trip carrying an enqueueScript call per item.
func (q *Queue) EnqueuePipelined(ctx context.Context, items []domain.QueueItem) error {
	k := q.keys
	run := func() error {
		_, err := q.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for _, it := range items {
				enqueueScript.EvalSha(ctx, p, k.queue, it.TaskID, unixMs(it.NotBefore), priorityArg(it))
			}
			return nil
		})
		return err
	}
	err := run()
	if goredis.HasErrorPrefix(err, "NOSCRIPT") { // first use on this server: load, then retry
		if err = enqueueScript.Load(ctx, q.client).Err(); err == nil {
			err = run()
		}
	}
	return q.err(ctx, err)
}

// EventsChannelName is the pub/sub channel of prefix's task events.
func EventsChannelName(prefix string) string { return newKeys(prefix).eventsChannel }

// EventsListenersKey is the sorted set of prefix's registered event subscriptions.
func EventsListenersKey(prefix string) string { return newKeys(prefix).eventsListeners }
