package application_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/logcapture"
)

// recordingEvents is a ports.TaskEvents that records each Publish call; block, when set,
// holds every Publish until it is closed or the call's context ends.
type recordingEvents struct {
	mu    sync.Mutex
	calls [][]domain.Task
	block chan struct{}
	fail  error
}

func (r *recordingEvents) Publish(ctx context.Context, tasks []domain.Task) error {
	if r.block != nil {
		select {
		case <-r.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if r.fail != nil {
		return r.fail
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, slices.Clone(tasks)) // Publish may not keep the slice
	return nil
}

func (r *recordingEvents) Subscribe(context.Context) (<-chan domain.TaskEvent, error) {
	return nil, errors.New("not used")
}

// published returns the ids and statuses published so far, in order.
func (r *recordingEvents) published() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.calls {
		for _, t := range c {
			out = append(out, t.ID+":"+string(t.Status))
		}
	}
	return out
}

type droppedCounter struct{ n atomic.Int64 }

func (d *droppedCounter) TaskEventsDropped(n int) { d.n.Add(int64(n)) }

func startFeed(t *testing.T, ev *recordingEvents, cfg application.TaskFeedConfig) (*application.TaskFeed, *logcapture.Buffer, *droppedCounter) {
	t.Helper()
	logs, dropped := &logcapture.Buffer{}, &droppedCounter{}
	f, err := application.NewTaskFeed(application.TaskFeedDeps{Events: ev, Observer: dropped,
		Log: slog.New(slog.NewJSONHandler(logs, nil))}, cfg)
	require.NoError(t, err)
	require.NoError(t, f.Start(t.Context()))
	t.Cleanup(func() { _ = f.Stop(context.Background()) })
	return f, logs, dropped
}

func waitFor(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		require.True(t, time.Now().Before(deadline), msg)
		time.Sleep(5 * time.Millisecond)
	}
}

// TestFeedingStoresPublishStateChanges: creates, state-changing updates, a worker's start
// and promotions are published, each batch write as one offer; a write that moves no
// state, a failed change and a replayed idempotent create are not.
func TestFeedingStoresPublishStateChanges(t *testing.T) {
	t.Parallel()
	ev := &recordingEvents{}
	feed, _, _ := startFeed(t, ev, application.TaskFeedConfig{})
	inner := memory.NewTaskStore()
	store := application.NewFeedingTaskStore(inner, feed)
	batch := application.NewFeedingTaskBatchStore(inner, feed)
	promoter := application.NewFeedingPromoter(inner, feed)

	a := contract.NewTask(contract.WithIdempotencyKey("k1"))
	_, created, err := store.Create(t.Context(), a)
	require.NoError(t, err)
	require.True(t, created)
	_, created, err = store.Create(t.Context(), contract.NewTask(contract.WithIdempotencyKey("k1")))
	require.NoError(t, err)
	require.False(t, created, "a replay creates nothing")

	b, c := contract.NewTask(), contract.NewTask()
	_, err = batch.CreateMany(t.Context(), []domain.Task{b, c})
	require.NoError(t, err)

	_, err = store.Update(t.Context(), a.ID, func(t *domain.Task) error { t.UpdatedAt = t.UpdatedAt.Add(time.Second); return nil })
	require.NoError(t, err, "no state change: no event")
	_, err = store.Update(t.Context(), a.ID, func(*domain.Task) error { return errors.New("refused") })
	require.Error(t, err)

	now := time.Now().UTC()
	res, err := batch.UpdateMany(t.Context(), []domain.TaskChange{
		{ID: b.ID, Apply: func(t *domain.Task) error { return t.Start("h1", now) }, Start: &domain.StartIntent{Holder: "h1", At: now}},
		{ID: c.ID, Apply: func(t *domain.Task) error { _, err := t.Cancel(now); return err }},
	})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.NoError(t, res[1].Err)

	later := now.Add(time.Hour)
	d := contract.NewTask(contract.WithRunAt(now.Add(-time.Minute)))
	_, _, err = inner.Create(t.Context(), d) // behind the feed's back: only its promotion shows
	require.NoError(t, err)
	n, err := promoter.PromoteDue(t.Context(), later, 10)
	require.NoError(t, err)
	require.Equal(t, 1, n)

	want := []string{a.ID + ":queued", b.ID + ":queued", c.ID + ":queued", b.ID + ":running", c.ID + ":cancelled", d.ID + ":queued"}
	waitFor(t, func() bool { return len(ev.published()) >= len(want) }, "every change published")
	require.Equal(t, want, ev.published())
}

// TestFeedShowsALateStartAsItsOwnEvent: a start written late together with the outcome
// (domain.LateStart) is published as the start, then the outcome, as if each had been
// written alone; a late start the store refused publishes nothing.
func TestFeedShowsALateStartAsItsOwnEvent(t *testing.T) {
	ev := &recordingEvents{}
	feed, _, _ := startFeed(t, ev, application.TaskFeedConfig{})
	inner := memory.NewTaskStore()
	batch := application.NewFeedingTaskBatchStore(inner, feed)
	done, refused := contract.NewTask(), contract.NewTask()
	_, err := inner.CreateMany(t.Context(), []domain.Task{done, refused})
	require.NoError(t, err)
	read, err := batch.GetMany(t.Context(), []string{done.ID, refused.ID})
	require.NoError(t, err)
	_, err = inner.Update(t.Context(), refused.ID, func(t *domain.Task) error { _, err := t.Cancel(time.Now()); return err })
	require.NoError(t, err)

	began := time.Now().UTC()
	changes := make([]domain.TaskChange, len(read))
	for i, seen := range read {
		ls := &domain.LateStart{Seen: seen, Holder: "h", At: began}
		changes[i] = domain.TaskChange{ID: seen.ID, Seen: &ls.Seen, Late: ls, Apply: ls.Then(func(t *domain.Task) error {
			return t.Succeed([]byte(`{}`), began.Add(time.Millisecond))
		})}
	}
	res, err := batch.UpdateMany(t.Context(), changes)
	require.NoError(t, err)
	byID := map[string]error{}
	for i, r := range res {
		byID[changes[i].ID] = r.Err
	}
	require.NoError(t, byID[done.ID])
	require.ErrorIs(t, byID[refused.ID], domain.ErrConflict)

	want := []string{done.ID + ":running", done.ID + ":succeeded"}
	waitFor(t, func() bool { return len(ev.published()) >= len(want) }, "the late start and the outcome published")
	require.Equal(t, want, ev.published())
}

// TestTaskFeedNeverBlocksAWriter: with the transport stuck, offers beyond the queue are
// dropped at once, counted and logged; a failed publish is counted too.
func TestTaskFeedNeverBlocksAWriter(t *testing.T) {
	t.Parallel()
	ev := &recordingEvents{block: make(chan struct{})}
	feed, logs, dropped := startFeed(t, ev, application.TaskFeedConfig{QueueTasks: 10, PublishTimeout: 50 * time.Millisecond})
	tasks := make([]domain.Task, 100)
	for i := range tasks {
		tasks[i] = contract.NewTask()
	}
	done := make(chan struct{})
	go func() {
		for _, tk := range tasks {
			feed.Offer(tk)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Offer blocked on a stuck transport")
	}
	waitFor(t, func() bool { return dropped.n.Load() >= 90 }, "the overflow is counted")
	waitFor(t, func() bool { return len(logs.Events("task_event_dropped")) > 0 }, "and logged")
}

func TestTaskFeedCountsFailedPublishes(t *testing.T) {
	t.Parallel()
	ev := &recordingEvents{fail: errors.New("redis down")}
	feed, logs, dropped := startFeed(t, ev, application.TaskFeedConfig{})
	feed.Offer(contract.NewTask(), contract.NewTask())
	waitFor(t, func() bool { return dropped.n.Load() == 2 }, "both events counted as dropped")
	require.Equal(t, "redis down", logs.Events("task_event_dropped")[0]["error"])
}

// BenchmarkFeedingUpdateMany measures what the feed adds to a batch write on the hot path:
// the same UpdateMany of 64 starts on the memory store with and without the decorator
// (publishing through the in-process feed to one subscriber that drains it).
func BenchmarkFeedingUpdateMany(b *testing.B) {
	for _, fed := range []bool{false, true} {
		name := "plain"
		if fed {
			name = "fed"
		}
		b.Run(name, func(b *testing.B) {
			benchUpdateMany(b, fed)
		})
	}
}

func benchUpdateMany(b *testing.B, fed bool) {
	const batchSize = 64
	inner := memory.NewTaskStore()
	var store interface {
		UpdateMany(context.Context, []domain.TaskChange) ([]domain.ChangeResult, error)
	} = inner
	if fed {
		events := memory.NewTaskEvents(0)
		ch, err := events.Subscribe(b.Context())
		require.NoError(b, err)
		go func() {
			for range ch {
			}
		}()
		feed, err := application.NewTaskFeed(application.TaskFeedDeps{Events: events,
			Log: slog.New(slog.DiscardHandler)}, application.TaskFeedConfig{})
		require.NoError(b, err)
		require.NoError(b, feed.Start(b.Context()))
		b.Cleanup(func() { _ = feed.Stop(context.Background()) })
		store = application.NewFeedingTaskBatchStore(inner, feed)
	}
	ids := make([]string, batchSize)
	for i := range ids {
		tk := contract.NewTask()
		_, _, err := inner.Create(b.Context(), tk)
		require.NoError(b, err)
		ids[i] = tk.ID
	}
	changes := make([]domain.TaskChange, batchSize)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, id := range ids {
			// A new attempt count makes every change a state change.
			changes[j] = domain.TaskChange{ID: id, Apply: func(t *domain.Task) error { t.Attempts++; return nil }}
		}
		if _, err := store.UpdateMany(b.Context(), changes); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batchSize), "ns/task")
}

// BenchmarkTaskFeedOffer is the writer's share of publishing: what a write pays after it
// committed (the decorator's Offer of a batch of 64), with the transport taking no time.
func BenchmarkTaskFeedOffer(b *testing.B) {
	feed, err := application.NewTaskFeed(application.TaskFeedDeps{Events: &recordingEvents{fail: errors.New("discard")},
		Log: slog.New(slog.DiscardHandler)}, application.TaskFeedConfig{})
	require.NoError(b, err)
	require.NoError(b, feed.Start(b.Context()))
	b.Cleanup(func() { _ = feed.Stop(context.Background()) })
	tasks := make([]domain.Task, 64)
	for i := range tasks {
		tasks[i] = contract.NewTask()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		feed.Offer(tasks...)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tasks)), "ns/task")
}
