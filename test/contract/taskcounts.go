package contract

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// TaskCountsStores are a task store whose CountByTypeStatus keeps counters maintained by
// its writes, the retention store that deletes from it, and Recount: the adapter's count
// of every stored task afresh (a GROUP BY over the rows), which the counters must equal.
type TaskCountsStores struct {
	Tasks     BatchTaskStore
	Retention ports.RetentionStore
	Recount   func(t *testing.T) map[domain.TaskType]map[domain.Status]int64
}

// TaskCounts checks that CountByTypeStatus, however the adapter keeps it, equals a recount
// after every kind of write. Each subtest needs stores of its own: the recount and the
// retention cutoff take in every task.
func TaskCounts(t *testing.T, newStores func(t *testing.T) TaskCountsStores) {
	t.Helper()
	runSuite(t, newStores, []suiteCase[TaskCountsStores]{
		{"CountByTypeStatus", "FollowsEveryWrite", countsFollowWrites},
		{"CountByTypeStatus", "ConcurrentBatches", countsConcurrentBatches},
	})
}

// requireCountsMatch compares the counters with the recount, and with want when it is
// not nil; zero counts are dropped from all three, as adapters may or may not keep them.
func requireCountsMatch(t *testing.T, s TaskCountsStores, step string, want map[domain.TaskType]map[domain.Status]int64) {
	t.Helper()
	got, err := s.Tasks.CountByTypeStatus(t.Context())
	require.NoError(t, err, "%s: CountByTypeStatus", step)
	recount := nonZeroCounts(s.Recount(t))
	require.Equal(t, recount, nonZeroCounts(got), "%s: the counters differ from a recount", step)
	if want != nil {
		require.Equal(t, nonZeroCounts(want), recount, "%s: the recount", step)
	}
}

func nonZeroCounts(m map[domain.TaskType]map[domain.Status]int64) map[domain.TaskType]map[domain.Status]int64 {
	out := map[domain.TaskType]map[domain.Status]int64{}
	for typ, byStatus := range m {
		if nz := nonZero(byStatus); len(nz) > 0 {
			out[typ] = nz
		}
	}
	return out
}

type byTypeStatus = map[domain.TaskType]map[domain.Status]int64

func countsFollowWrites(t *testing.T, s TaskCountsStores) {
	ctx := t.Context()
	a, b := UniqueTaskType(), UniqueTaskType()
	requireCountsMatch(t, s, "empty", byTypeStatus{})

	var batch []domain.Task
	for range 5 {
		batch = append(batch, NewTask(WithType(a)))
	}
	keyed := NewTask(WithType(b), WithIdempotencyKey("counts-"+string(b)))
	batch = append(batch, keyed, NewTask(WithType(b)))
	created := createMany(t, s.Tasks, batch)
	requireCountsMatch(t, s, "CreateMany", byTypeStatus{a: {domain.StatusQueued: 5}, b: {domain.StatusQueued: 2}})

	// A create that finds its idempotency key taken stores nothing and counts nothing.
	_, fresh, err := s.Tasks.Create(ctx, NewTask(WithType(b), WithIdempotencyKey(keyed.IdempotencyKey)))
	require.NoError(t, err)
	require.False(t, fresh)
	single := createTask(t, s.Tasks, NewTask(WithType(b)))
	requireCountsMatch(t, s, "Create", byTypeStatus{a: {domain.StatusQueued: 5}, b: {domain.StatusQueued: 3}})

	now := Now()
	var starts []domain.TaskChange
	for _, r := range created[:4] { // four of type a, none of b
		starts = append(starts, domain.TaskChange{ID: r.Task.ID, Apply: func(cur *domain.Task) error { return cur.Start("h", now) }})
	}
	updateMany(t, s.Tasks, starts)
	requireCountsMatch(t, s, "UpdateMany start", byTypeStatus{a: {domain.StatusQueued: 1, domain.StatusRunning: 4}, b: {domain.StatusQueued: 3}})

	// Writes that keep the status (a heartbeat, progress) count nothing.
	var beats []domain.TaskChange
	for _, r := range created[:4] {
		beats = append(beats, domain.TaskChange{ID: r.Task.ID, Apply: func(cur *domain.Task) error {
			beat := now.Add(time.Second)
			cur.HeartbeatAt, cur.UpdatedAt = &beat, beat
			return nil
		}})
	}
	updateMany(t, s.Tasks, beats)
	_, err = s.Tasks.Update(ctx, single.ID, func(cur *domain.Task) error { cur.UpdatedAt = now; return nil })
	require.NoError(t, err)
	_, err = s.Tasks.Update(ctx, single.ID, func(*domain.Task) error { return errContractRefused })
	require.ErrorIs(t, err, errContractRefused)
	requireCountsMatch(t, s, "writes keeping the status", byTypeStatus{a: {domain.StatusQueued: 1, domain.StatusRunning: 4}, b: {domain.StatusQueued: 3}})

	// One batch moving tasks both ways: two succeed, one fails, one more starts.
	finished := now.Add(2 * time.Second)
	updateMany(t, s.Tasks, []domain.TaskChange{
		{ID: created[0].Task.ID, Apply: func(cur *domain.Task) error { return cur.Succeed([]byte(`{}`), finished) }},
		{ID: created[1].Task.ID, Apply: func(cur *domain.Task) error { return cur.Succeed([]byte(`{}`), finished) }},
		{ID: created[2].Task.ID, Apply: func(cur *domain.Task) error {
			return cur.Fail(domain.TaskError{Code: domain.CodeInternal, Message: "x"}, finished)
		}},
		{ID: created[5].Task.ID, Apply: func(cur *domain.Task) error { return cur.Start("h", finished) }},
	})
	_, err = s.Tasks.Update(ctx, single.ID, func(cur *domain.Task) error { _, err := cur.Cancel(finished); return err })
	require.NoError(t, err)
	requireCountsMatch(t, s, "finishes", byTypeStatus{
		a: {domain.StatusQueued: 1, domain.StatusRunning: 1, domain.StatusSucceeded: 2, domain.StatusFailed: 1},
		b: {domain.StatusQueued: 1, domain.StatusRunning: 1, domain.StatusCancelled: 1}})

	_, err = s.Retention.DeleteTask(ctx, created[0].Task.ID)
	require.NoError(t, err)
	requireCountsMatch(t, s, "DeleteTask", byTypeStatus{
		a: {domain.StatusQueued: 1, domain.StatusRunning: 1, domain.StatusSucceeded: 1, domain.StatusFailed: 1},
		b: {domain.StatusQueued: 1, domain.StatusRunning: 1, domain.StatusCancelled: 1}})

	// Retention deletes every final task finished before its cutoff, in one batch here.
	batchGone, err := s.Retention.DeleteFinished(ctx, domain.RetentionQuery{Before: finished.Add(time.Hour), Limit: 10})
	require.NoError(t, err)
	require.Equal(t, 3, batchGone.Tasks)
	requireCountsMatch(t, s, "DeleteFinished", byTypeStatus{
		a: {domain.StatusQueued: 1, domain.StatusRunning: 1},
		b: {domain.StatusQueued: 1, domain.StatusRunning: 1}})
}

// Several writers create, start and finish tasks in batches at once: the counters end
// equal to the recount, and to what the writers did.
func countsConcurrentBatches(t *testing.T, s TaskCountsStores) {
	const writers, perBatch, rounds = 6, 25, 3
	types := []domain.TaskType{UniqueTaskType(), UniqueTaskType()}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- countsWriter(t, s, types[w%2], perBatch, rounds)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// Each round leaves one task queued, one running, and finishes the rest: every fifth
	// of those fails, the others succeed.
	perWriter := map[domain.Status]int64{}
	for i := range perBatch {
		perWriter[countsOutcome(i)] += rounds
	}
	want := byTypeStatus{}
	for w := range writers {
		if want[types[w%2]] == nil {
			want[types[w%2]] = map[domain.Status]int64{}
		}
		for st, n := range perWriter {
			want[types[w%2]][st] += n
		}
	}
	requireCountsMatch(t, s, "after the writers", want)
}

// countsOutcome is the status the writers leave the i-th task of a batch in.
func countsOutcome(i int) domain.Status {
	switch {
	case i == 0:
		return domain.StatusQueued
	case i == 1:
		return domain.StatusRunning
	case i%5 == 0:
		return domain.StatusFailed
	default:
		return domain.StatusSucceeded
	}
}

// countsWriter runs rounds of: create a batch, start all but the first, beat them, finish
// all but the first two.
func countsWriter(t *testing.T, s TaskCountsStores, typ domain.TaskType, n, rounds int) error {
	ctx := t.Context()
	for range rounds {
		tasks := make([]domain.Task, n)
		for i := range tasks {
			tasks[i] = NewTask(WithType(typ))
		}
		if _, err := s.Tasks.CreateMany(ctx, tasks); err != nil {
			return fmt.Errorf("CreateMany: %w", err)
		}
		now := Now()
		var starts, beats, ends []domain.TaskChange
		for i, task := range tasks[1:] {
			id := task.ID
			starts = append(starts, domain.TaskChange{ID: id, Apply: func(cur *domain.Task) error { return cur.Start("h", now) }})
			beats = append(beats, domain.TaskChange{ID: id, Apply: func(cur *domain.Task) error { cur.UpdatedAt = now.Add(time.Second); return nil }})
			switch countsOutcome(i + 1) {
			case domain.StatusFailed:
				ends = append(ends, domain.TaskChange{ID: id, Apply: func(cur *domain.Task) error {
					return cur.Fail(domain.TaskError{Code: domain.CodeInternal, Message: "x"}, now)
				}})
			case domain.StatusSucceeded:
				ends = append(ends, domain.TaskChange{ID: id, Apply: func(cur *domain.Task) error { return cur.Succeed([]byte(`{}`), now) }})
			}
		}
		for _, batch := range [][]domain.TaskChange{starts, beats, ends} {
			results, err := s.Tasks.UpdateMany(ctx, batch)
			if err != nil {
				return fmt.Errorf("UpdateMany: %w", err)
			}
			for _, r := range results {
				if r.Err != nil {
					return fmt.Errorf("UpdateMany: %w", r.Err)
				}
			}
		}
	}
	return nil
}
