package application_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

func startHub(t *testing.T, cfg application.EventHubConfig) (*application.EventHub, *memory.TaskEvents) {
	t.Helper()
	events := memory.NewTaskEvents(0)
	h, err := application.NewEventHub(application.EventHubDeps{Events: events, Log: slog.New(slog.DiscardHandler)}, cfg)
	require.NoError(t, err)
	require.NoError(t, h.Start(t.Context()))
	t.Cleanup(func() { _ = h.Stop(t.Context()) })
	return h, events
}

func nextHubEvent(t *testing.T, s *application.EventStream) application.HubEvent {
	t.Helper()
	select {
	case ev := <-s.C():
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
		return application.HubEvent{}
	}
}

func TestEventHubCapsStreams(t *testing.T) {
	t.Parallel()
	h, _ := startHub(t, application.EventHubConfig{MaxStreams: 1})
	s, err := h.Stream(application.EventFilter{}, "")
	require.NoError(t, err)
	_, err = h.Stream(application.EventFilter{}, "")
	require.ErrorIs(t, err, application.ErrTooManyStreams)
	require.Equal(t, domain.CodeUnavailable, domain.CodeOf(err), "a 503")
	s.Close()
	_, err = h.Stream(application.EventFilter{}, "")
	require.NoError(t, err, "a closed stream frees its place")
}

// TestEventHubDropsASlowStream: a stream that does not read is dropped (Lost) once its
// buffer is full; the hub and the other streams go on.
func TestEventHubDropsASlowStream(t *testing.T) {
	t.Parallel()
	h, events := startHub(t, application.EventHubConfig{StreamBuffer: 2})
	slow, err := h.Stream(application.EventFilter{}, "")
	require.NoError(t, err)
	fast, err := h.Stream(application.EventFilter{}, "")
	require.NoError(t, err)
	for range 3 {
		tk := contract.NewTask()
		require.NoError(t, events.Publish(t.Context(), []domain.Task{tk}))
		require.Equal(t, tk.ID, nextHubEvent(t, fast).Task.ID)
	}
	select {
	case <-slow.Lost():
	case <-time.After(10 * time.Second):
		t.Fatal("the slow stream was not dropped")
	}
}

// TestEventHubResumesOnlyWhereItCan: after an id it issued and still keeps, a stream
// replays what followed (filtered); an id older than the ring, from another epoch or
// malformed starts afresh.
func TestEventHubResumesOnlyWhereItCan(t *testing.T) {
	t.Parallel()
	h, events := startHub(t, application.EventHubConfig{Ring: 3})
	watch, err := h.Stream(application.EventFilter{}, "")
	require.NoError(t, err)
	var ids []string
	var tasks []domain.Task
	for i := range 5 {
		tk := contract.NewTask()
		if i%2 == 1 {
			tk.Type = domain.TaskSleep
		}
		tasks = append(tasks, tk)
		require.NoError(t, events.Publish(t.Context(), []domain.Task{tk}))
		ids = append(ids, nextHubEvent(t, watch).ID)
	}
	s, err := h.Stream(application.EventFilter{}, ids[2])
	require.NoError(t, err)
	require.True(t, s.Resumed)
	require.Len(t, s.Replay, 2)
	require.Equal(t, ids[3:], []string{s.Replay[0].ID, s.Replay[1].ID})

	s, err = h.Stream(application.EventFilter{Types: []domain.TaskType{domain.TaskSleep}}, ids[1])
	require.NoError(t, err)
	require.True(t, s.Resumed, "the oldest kept event follows ids[1]")
	require.Len(t, s.Replay, 1)
	require.Equal(t, tasks[3].ID, s.Replay[0].Task.ID)

	for _, gone := range []string{ids[0], "feedface0000-3", "nonsense", ids[4] + "0"} {
		s, err = h.Stream(application.EventFilter{}, gone)
		require.NoError(t, err)
		require.False(t, s.Resumed, gone)
		require.Empty(t, s.Replay)
	}
}

// TestEventHubAwait: a wait answers at the task's final event, or at the deadline with
// the task as read.
func TestEventHubAwait(t *testing.T) {
	t.Parallel()
	h, events := startHub(t, application.EventHubConfig{})
	tk := contract.NewTask()
	running := tk
	running.Status = domain.StatusRunning
	read := func() (domain.Task, error) { return running, nil }

	got, err := h.Await(t.Context(), tk.ID, 50*time.Millisecond, read)
	require.NoError(t, err)
	require.Equal(t, domain.StatusRunning, got.Status, "the deadline answers the current state")

	done := make(chan domain.Task, 1)
	go func() {
		got, err := h.Await(t.Context(), tk.ID, time.Minute, read)
		require.NoError(t, err)
		done <- got
	}()
	final := tk
	final.Status = domain.StatusSucceeded
	publishUntilHeard(t, events, done, running, final)
}

// publishUntilHeard publishes tasks (the last one final) until the wait sending on done
// answers, and checks it answered the final state: until the waiter has registered, an
// event may pass it by.
func publishUntilHeard(t *testing.T, events *memory.TaskEvents, done <-chan domain.Task, tasks ...domain.Task) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		require.NoError(t, events.Publish(t.Context(), tasks))
		select {
		case got := <-done:
			require.Equal(t, domain.StatusSucceeded, got.Status)
			return
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatal("the final event did not end the wait")
		}
	}
}

// TestEventHubSubscribesOnlyWhileListenedTo: no subscription until a stream or a wait
// needs one; it outlives the last of them by Linger, so a reconnect within it resumes,
// and ends after it, so a later resume is refused rather than silently missing events.
func TestEventHubSubscribesOnlyWhileListenedTo(t *testing.T) {
	t.Parallel()
	h, events := startHub(t, application.EventHubConfig{Linger: 200 * time.Millisecond})
	require.False(t, h.Subscribed(), "nobody listens yet")

	s, err := h.Stream(application.EventFilter{}, "")
	require.NoError(t, err)
	require.True(t, h.Subscribed())
	tk := contract.NewTask()
	require.NoError(t, events.Publish(t.Context(), []domain.Task{tk}))
	first := nextHubEvent(t, s)
	s.Close()

	// A reconnect right away (well within Linger) resumes after the last id it saw.
	next := contract.NewTask()
	require.NoError(t, events.Publish(t.Context(), []domain.Task{next}))
	require.Eventually(t, func() bool {
		r, err := h.Stream(application.EventFilter{}, first.ID)
		require.NoError(t, err)
		defer r.Close()
		return r.Resumed && len(r.Replay) == 1 && r.Replay[0].Task.ID == next.ID
	}, 10*time.Second, 5*time.Millisecond, "the event published while no stream was open is replayed")

	require.Eventually(t, func() bool { return !h.Subscribed() }, 10*time.Second, 10*time.Millisecond,
		"the subscription ends Linger after the last stream")
	gone := contract.NewTask()
	require.NoError(t, events.Publish(t.Context(), []domain.Task{gone}))
	r, err := h.Stream(application.EventFilter{}, first.ID)
	require.NoError(t, err)
	defer r.Close()
	require.False(t, r.Resumed, "events went by unheard: resuming would hide them")
	require.Empty(t, r.Replay)

	// A wait subscribes too, and still sees the final event.
	r.Close()
	require.Eventually(t, func() bool { return !h.Subscribed() }, 10*time.Second, 10*time.Millisecond)
	running := contract.NewTask()
	running.Status = domain.StatusRunning
	done := make(chan domain.Task, 1)
	go func() {
		got, _ := h.Await(t.Context(), running.ID, time.Minute, func() (domain.Task, error) { return running, nil })
		done <- got
	}()
	require.Eventually(t, h.Subscribed, 10*time.Second, time.Millisecond)
	final := running
	final.Status = domain.StatusSucceeded
	publishUntilHeard(t, events, done, final)
}
