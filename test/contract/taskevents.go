package contract

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// TaskEvents is the contract of ports.TaskEvents. Each case gets a fresh feed; subscribers
// still ignore tasks they did not publish, so a feed shared by mistake shows as a failure
// of the case that expects silence, not as noise everywhere.
func TaskEvents(t *testing.T, newEvents func(t *testing.T) ports.TaskEvents) {
	t.Helper()
	runSuite(t, newEvents, []suiteCase[ports.TaskEvents]{
		{"Subscribe", "ReceivesLaterPublishesAsStored", eventsReceive},
		{"Subscribe", "MissesEarlierPublishes", eventsMissesEarlier},
		{"Subscribe", "ClosesWhenContextEnds", eventsCloses},
		{"Subscribe", "KeepsOrderAcrossLargeBatches", eventsOrder},
		{"Publish", "FansOutToEverySubscriber", eventsFanOut},
		{"Publish", "WithoutSubscribersOrTasks", eventsNothing},
		{"Publish", "NeverBlocksOnSlowSubscriberAndFlagsTheGap", eventsSlowSubscriber},
	})
}

func eventsSubscribe(t *testing.T, e ports.TaskEvents, ctx context.Context) <-chan domain.TaskEvent {
	t.Helper()
	ch, err := e.Subscribe(ctx)
	require.NoError(t, err, "Subscribe")
	require.NotNil(t, ch)
	return ch
}

// eventTasks returns n tasks with every field a store fills set, a callback included.
func eventTasks(n int) ([]domain.Task, map[string]bool) {
	list := make([]domain.Task, n)
	mine := map[string]bool{}
	for i := range list {
		now := Now()
		list[i] = NewTask(WithStatus(domain.StatusSucceeded), WithParentID(NewID()))
		list[i].Result = json.RawMessage(`{"msg":"hello"}`)
		list[i].Attempts, list[i].MaxRetries, list[i].Priority = 1, 2, 3
		list[i].StartedAt, list[i].FinishedAt, list[i].RunAt = &now, &now, &now
		list[i].Callback = &domain.Callback{URL: "http://127.0.0.1:9/hook", Status: domain.CallbackPending, NextAt: &now}
		mine[list[i].ID] = true
	}
	return list, mine
}

// nextEvent returns the next event of one of mine from ch, skipping others.
func nextEvent(t *testing.T, ch <-chan domain.TaskEvent, mine map[string]bool) domain.TaskEvent {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case ev, ok := <-ch:
			require.True(t, ok, "channel closed while waiting for an event")
			if mine[ev.Task.ID] {
				return ev
			}
		case <-timeout:
			t.Fatal("no event received")
		}
	}
}

// asPublished is what a subscriber sees of t: everything but ClientID.
func asPublished(t domain.Task) domain.Task {
	t.ClientID = ""
	return t
}

func eventsReceive(t *testing.T, e ports.TaskEvents) {
	ch := eventsSubscribe(t, e, t.Context())
	list, mine := eventTasks(2)
	require.NoError(t, e.Publish(t.Context(), list))
	for _, want := range list {
		ev := nextEvent(t, ch, mine)
		require.False(t, ev.Missed)
		requireSameTask(t, asPublished(want), ev.Task)
	}
}

// requireSameTask compares tasks as values: times by instant, JSON by content.
func requireSameTask(t *testing.T, want, got domain.Task) {
	t.Helper()
	require.JSONEq(t, string(want.Params), string(got.Params))
	require.JSONEq(t, string(want.Result), string(got.Result))
	want.Params, want.Result, got.Params, got.Result = nil, nil, nil, nil
	for _, p := range []struct{ w, g **time.Time }{
		{&want.StartedAt, &got.StartedAt}, {&want.FinishedAt, &got.FinishedAt}, {&want.RunAt, &got.RunAt},
	} {
		require.Equal(t, *p.w == nil, *p.g == nil)
		if *p.w != nil {
			require.True(t, (*p.w).Equal(**p.g), "time %v != %v", *p.w, *p.g)
			*p.w, *p.g = nil, nil
		}
	}
	require.True(t, want.CreatedAt.Equal(got.CreatedAt) && want.UpdatedAt.Equal(got.UpdatedAt))
	want.CreatedAt, want.UpdatedAt, got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if want.Callback != nil && got.Callback != nil {
		require.True(t, want.Callback.NextAt.Equal(*got.Callback.NextAt))
		wc, gc := *want.Callback, *got.Callback
		wc.NextAt, gc.NextAt = nil, nil
		want.Callback, got.Callback = &wc, &gc
	}
	require.Equal(t, want, got)
}

func eventsMissesEarlier(t *testing.T, e ports.TaskEvents) {
	list, mine := eventTasks(2)
	require.NoError(t, e.Publish(t.Context(), list[:1]))
	ch := eventsSubscribe(t, e, t.Context())
	require.NoError(t, e.Publish(t.Context(), list[1:]))
	require.Equal(t, list[1].ID, nextEvent(t, ch, mine).Task.ID, "the earlier task came first")
}

func eventsCloses(t *testing.T, e ports.TaskEvents) {
	ctx, cancel := context.WithCancel(t.Context())
	ch := eventsSubscribe(t, e, ctx)
	cancel()
	deadline := time.After(wait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("channel not closed after the context ended")
		}
	}
}

func eventsOrder(t *testing.T, e ports.TaskEvents) {
	ch := eventsSubscribe(t, e, t.Context())
	list, mine := eventTasks(600) // more than one message's worth in the Redis adapter
	require.NoError(t, e.Publish(t.Context(), list[:300]))
	require.NoError(t, e.Publish(t.Context(), list[300:]))
	for i, want := range list {
		ev := nextEvent(t, ch, mine)
		require.Equal(t, want.ID, ev.Task.ID, "event %d out of order", i)
		require.False(t, ev.Missed)
	}
}

func eventsFanOut(t *testing.T, e ports.TaskEvents) {
	a, b := eventsSubscribe(t, e, t.Context()), eventsSubscribe(t, e, t.Context())
	list, mine := eventTasks(1)
	require.NoError(t, e.Publish(t.Context(), list))
	require.Equal(t, list[0].ID, nextEvent(t, a, mine).Task.ID)
	require.Equal(t, list[0].ID, nextEvent(t, b, mine).Task.ID)
}

func eventsNothing(t *testing.T, e ports.TaskEvents) {
	list, _ := eventTasks(1)
	require.NoError(t, e.Publish(t.Context(), list), "nobody listens")
	require.NoError(t, e.Publish(t.Context(), nil), "no tasks")
	ch := eventsSubscribe(t, e, t.Context())
	require.NoError(t, e.Publish(t.Context(), nil))
	later, mine := eventTasks(1)
	require.NoError(t, e.Publish(t.Context(), later))
	require.Equal(t, later[0].ID, nextEvent(t, ch, mine).Task.ID, "an empty publish sent nothing")
}

// eventsSlowSubscriber publishes twice a subscriber's buffer while it does not read: every
// Publish returns, the subscriber is left with a full buffer, and wherever its sequence
// has a hole, the first event after the hole says Missed.
func eventsSlowSubscriber(t *testing.T, e ports.TaskEvents) {
	ch := eventsSubscribe(t, e, t.Context())
	list, mine := eventTasks(2*cap(ch) + 1)
	done := make(chan error, 1)
	go func() {
		for start := 0; start < len(list); start += 500 {
			if err := e.Publish(t.Context(), list[start:min(start+500, len(list))]); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(wait):
		t.Fatal("Publish blocked on a subscriber that does not read")
	}
	eventually(t, wait, func() bool { return len(ch) == cap(ch) }, "the subscriber's buffer fills up")
	marker, markerIDs := eventTasks(1)
	for id := range markerIDs {
		mine[id] = true
	}
	next, received := 0, 0
	for {
		ev := nextEvent(t, ch, mine)
		if ev.Task.ID == marker[0].ID {
			if next < len(list) {
				require.True(t, ev.Missed, "the tasks dropped before the marker went unflagged")
			}
			break
		}
		received++
		at := next
		for at < len(list) && list[at].ID != ev.Task.ID {
			at++
		}
		require.Less(t, at, len(list), "an event out of order")
		if at > next {
			require.True(t, ev.Missed, "the event after a hole must say Missed")
		}
		next = at + 1
		if received == cap(ch) {
			// The buffer is drained; the marker follows whatever is still in flight.
			require.NoError(t, e.Publish(t.Context(), marker))
		}
	}
	require.Less(t, received, len(list), "a buffer of %d held all %d events", cap(ch), len(list))
}
