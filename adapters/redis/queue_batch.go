package redis

import (
	"context"
	"errors"
	"slices"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.BatchQueue = (*Queue)(nil)

// maxBatch is the most ids one batch script handles. EnqueueMany and AckMany split larger
// batches into calls of this size (one round trip each), and DequeueMany leases at most
// this many at once. It bounds how long one script holds Redis (well under a millisecond)
// and keeps the scripts' unpack calls within Lua's stack. The application's batches (a
// group commit, POST /tasks/batch, a worker's free slots) fit in one call.
const maxBatch = 1000

// EnqueueMany implements ports.BatchQueue with one enqueueManyScript call per maxBatch
// items. An empty id fails the whole call before anything is sent.
//
// One script rather than a pipeline of enqueueScript: the script checks membership with one
// HMGET and writes with one HSET and one LPUSH per lane for the batch, where the pipeline runs
// a script per id (see BenchmarkQueueEnqueueMany for the measured difference).
func (q *Queue) EnqueueMany(ctx context.Context, items []domain.QueueItem) error {
	for _, it := range items {
		if it.TaskID == "" {
			return errors.New("redis queue: empty task id")
		}
	}
	k := q.keys
	for chunk := range slices.Chunk(items, maxBatch) {
		args := make([]any, 0, 3*len(chunk))
		for _, it := range chunk {
			args = append(args, it.TaskID, unixMs(it.NotBefore), priorityArg(it))
		}
		err := enqueueManyScript.Run(ctx, q.client, k.queue, args...).Err()
		if err != nil {
			return q.err(ctx, err)
		}
	}
	return nil
}

// AckMany implements ports.BatchQueue with one ackManyScript call per maxBatch leases. On an
// error, the chunks before the failing one were acked.
func (q *Queue) AckMany(ctx context.Context, leases []domain.Lease) ([]domain.Lease, error) {
	k := q.keys
	var lost []domain.Lease
	for chunk := range slices.Chunk(leases, maxBatch) {
		args := make([]any, 0, 2*len(chunk))
		for _, l := range chunk {
			args = append(args, l.TaskID, l.Token)
		}
		res, err := ackManyScript.Run(ctx, q.client, []string{k.leased, k.tokens, k.entries, k.lapsed}, args...).Int64Slice()
		if err != nil {
			return nil, q.err(ctx, err)
		}
		for _, pos := range res {
			if pos < 1 || pos > int64(len(chunk)) {
				return nil, errBadReply("ack many", res)
			}
			lost = append(lost, chunk[pos-1])
		}
	}
	return lost, nil
}
