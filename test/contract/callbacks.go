package contract

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// OutboxStore is a task store that is also the webhook outbox, as both adapters are: the
// callback state lives in the task's record.
type OutboxStore interface {
	ports.TaskStore
	ports.TaskBatchStore
	ports.CallbackOutbox
}

// CallbackOutbox is the contract of ports.CallbackOutbox. Claims see every due callback
// of the store, so each subtest needs a store of its own (newStore must not share one).
func CallbackOutbox(t *testing.T, newStore func(t *testing.T) OutboxStore) {
	t.Helper()
	runSuite(t, newStore, []suiteCase[OutboxStore]{
		{"Create", "StoresTheCallback", outboxCreateStores},
		{"CreateMany", "StoresTheCallback", outboxCreateManyStores},
		{"Update", "FinishingMakesTheCallbackDue", outboxFinishMakesDue},
		{"ClaimDueCallbacks", "OnlyDueCallbacksOfFinalTasks", outboxClaimOnlyDue},
		{"ClaimDueCallbacks", "LeaseHidesAClaimUntilItEnds", outboxClaimLease},
		{"ClaimDueCallbacks", "OldestFirstUpToTheLimit", outboxClaimOrder},
		{"ClaimDueCallbacks", "ConcurrentClaimsNeverOverlap", outboxClaimConcurrent},
		{"ClaimDueCallbacks", "NothingDueIsEmpty", outboxClaimEmpty},
		{"RecordCallback", "StoresTheOutcome", outboxRecordStores},
		{"RecordCallback", "LapsedClaimIsConflict", outboxRecordLapsed},
		{"RecordCallback", "UnknownIsNotFound", outboxRecordUnknown},
	})
}

func requireSameCallback(t *testing.T, want, got *domain.Callback) {
	t.Helper()
	if want == nil {
		require.Nil(t, got, "Callback")
		return
	}
	require.NotNil(t, got, "Callback")
	require.Equal(t, want.URL, got.URL, "Callback.URL")
	require.Equal(t, want.Status, got.Status, "Callback.Status")
	require.Equal(t, want.Attempts, got.Attempts, "Callback.Attempts")
	require.Equal(t, want.LastError, got.LastError, "Callback.LastError")
	requireSameTimePtr(t, want.NextAt, got.NextAt, "Callback.NextAt")
}

// WithCallback gives the task a pending callback to url.
func WithCallback(url string) TaskOption {
	return func(t *domain.Task) { t.Callback = domain.NewCallback(url) }
}

// finishedWithCallback is a succeeded task whose callback is due at due.
func finishedWithCallback(due time.Time) domain.Task {
	return NewTask(WithCallback("http://127.0.0.1:9/hook"), func(t *domain.Task) {
		t.Status = domain.StatusSucceeded
		t.Result = []byte(`{}`)
		t.Attempts = 1
		t.StartedAt, t.FinishedAt = &due, &due
		t.Callback.NextAt = &due
	})
}

func createTasks(t *testing.T, s OutboxStore, tasks ...domain.Task) {
	t.Helper()
	for _, task := range tasks {
		_, created, err := s.Create(t.Context(), task)
		require.NoError(t, err)
		require.True(t, created)
	}
}

func claim(t *testing.T, s OutboxStore, now, lease time.Time, limit int) []domain.Task {
	t.Helper()
	got, err := s.ClaimDueCallbacks(t.Context(), domain.CallbackClaim{Now: now, LeaseUntil: lease, Limit: limit})
	require.NoError(t, err, "ClaimDueCallbacks")
	return got
}

func taskIDs(tasks []domain.Task) []string {
	out := make([]string, len(tasks))
	for i, t := range tasks {
		out[i] = t.ID
	}
	return out
}

func outboxCreateStores(t *testing.T, s OutboxStore) {
	with := NewTask(WithCallback("https://hooks.example.com/x?token=1"))
	without := NewTask()
	createTasks(t, s, with, without)
	for _, want := range []domain.Task{with, without} {
		got, err := s.Get(t.Context(), want.ID)
		require.NoError(t, err)
		RequireSameTask(t, want, got)
	}
}

func outboxCreateManyStores(t *testing.T, s OutboxStore) {
	tasks := []domain.Task{NewTask(WithCallback("http://127.0.0.1:8080/a")), NewTask()}
	res, err := s.CreateMany(t.Context(), tasks)
	require.NoError(t, err)
	for i, r := range res {
		RequireSameTask(t, tasks[i], r.Task)
		got, err := s.Get(t.Context(), tasks[i].ID)
		require.NoError(t, err)
		RequireSameTask(t, tasks[i], got)
	}
}

func outboxFinishMakesDue(t *testing.T, s OutboxStore) {
	task := NewTask(WithCallback("http://127.0.0.1:8080/a"))
	createTasks(t, s, task)
	now := Now()
	require.Empty(t, claim(t, s, now.Add(time.Hour), now.Add(2*time.Hour), 10), "a queued task's callback is not due")
	_, err := s.Update(t.Context(), task.ID, func(t *domain.Task) error { return t.Start("h", now) })
	require.NoError(t, err)
	done, err := s.Update(t.Context(), task.ID, func(t *domain.Task) error { return t.Succeed([]byte(`{}`), now) })
	require.NoError(t, err)
	require.True(t, done.Callback.Due())
	RequireSameTime(t, now, *done.Callback.NextAt, "NextAt")
	got := claim(t, s, now, now.Add(time.Minute), 10)
	require.Equal(t, []string{task.ID}, taskIDs(got))
}

func outboxClaimOnlyDue(t *testing.T, s OutboxStore) {
	now := Now()
	due := finishedWithCallback(now.Add(-time.Second))
	later := finishedWithCallback(now.Add(time.Hour))
	queued := NewTask(WithCallback("http://127.0.0.1:9/q"))
	plain := finishedWithCallback(now.Add(-time.Second))
	plain.Callback = nil
	delivered := finishedWithCallback(now.Add(-time.Second))
	delivered.Callback.Status, delivered.Callback.NextAt = domain.CallbackDelivered, nil
	createTasks(t, s, due, later, queued, plain, delivered)

	lease := now.Add(time.Minute)
	got := claim(t, s, now, lease, 10)
	require.Equal(t, []string{due.ID}, taskIDs(got))
	want := due.Clone()
	want.Callback.Attempts = 1
	want.Callback.NextAt = &lease
	RequireSameTask(t, want, got[0])
	stored, err := s.Get(t.Context(), due.ID)
	require.NoError(t, err)
	RequireSameTask(t, want, stored)
}

func outboxClaimLease(t *testing.T, s OutboxStore) {
	now := Now()
	task := finishedWithCallback(now)
	createTasks(t, s, task)
	lease := now.Add(30 * time.Second)
	require.Len(t, claim(t, s, now, lease, 10), 1)
	require.Empty(t, claim(t, s, lease.Add(-time.Microsecond), lease.Add(time.Minute), 10), "claimed until the lease ends")
	again := claim(t, s, lease, lease.Add(time.Minute), 10)
	require.Equal(t, []string{task.ID}, taskIDs(again), "claimable again once the lease ends")
	require.Equal(t, 2, again[0].Callback.Attempts)
}

func outboxClaimOrder(t *testing.T, s OutboxStore) {
	now := Now()
	a := finishedWithCallback(now.Add(-3 * time.Second))
	b := finishedWithCallback(now.Add(-2 * time.Second))
	c := finishedWithCallback(now.Add(-1 * time.Second))
	createTasks(t, s, c, a, b)
	first := claim(t, s, now, now.Add(time.Minute), 2)
	require.Equal(t, []string{a.ID, b.ID}, taskIDs(first))
	require.Equal(t, []string{c.ID}, taskIDs(claim(t, s, now, now.Add(time.Minute), 2)))
}

func outboxClaimConcurrent(t *testing.T, s OutboxStore) {
	now := Now()
	const n = 40
	want := make([]string, n)
	for i := range n {
		task := finishedWithCallback(now.Add(-time.Duration(i) * time.Millisecond))
		createTasks(t, s, task)
		want[i] = task.ID
	}
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c, err := s.ClaimDueCallbacks(t.Context(), domain.CallbackClaim{Now: now, LeaseUntil: now.Add(time.Hour), Limit: 3})
				if err != nil || len(c) == 0 {
					return
				}
				mu.Lock()
				got = append(got, taskIDs(c)...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(got)
	slices.Sort(want)
	require.Equal(t, want, got, "every due callback claimed exactly once")
}

func outboxClaimEmpty(t *testing.T, s OutboxStore) {
	now := Now()
	got := claim(t, s, now, now.Add(time.Minute), 10)
	require.NotNil(t, got)
	require.Empty(t, got)
}

func outboxRecordStores(t *testing.T, s OutboxStore) {
	now := Now()
	task := finishedWithCallback(now)
	createTasks(t, s, task)
	claimed := claim(t, s, now, now.Add(time.Minute), 1)[0]

	retryAt := now.Add(5 * time.Second)
	retry := *claimed.Callback
	retry.LastError, retry.NextAt = "the receiver answered HTTP 500", &retryAt
	got, err := s.RecordCallback(t.Context(), domain.CallbackRecord{TaskID: task.ID, Attempt: 1, Result: retry})
	require.NoError(t, err)
	requireSameCallback(t, &retry, got.Callback)
	require.Empty(t, claim(t, s, now.Add(4*time.Second), now.Add(time.Hour), 1), "not due before the retry time")

	claimed = claim(t, s, retryAt, retryAt.Add(time.Minute), 1)[0]
	require.Equal(t, 2, claimed.Callback.Attempts)
	done := *claimed.Callback
	done.Status, done.LastError, done.NextAt = domain.CallbackDelivered, "", nil
	got, err = s.RecordCallback(t.Context(), domain.CallbackRecord{TaskID: task.ID, Attempt: 2, Result: done})
	require.NoError(t, err)
	stored, err := s.Get(t.Context(), task.ID)
	require.NoError(t, err)
	RequireSameTask(t, got, stored)
	requireSameCallback(t, &done, stored.Callback)
	require.Empty(t, claim(t, s, now.Add(24*time.Hour), now.Add(25*time.Hour), 1), "a delivered callback is never due")
}

func outboxRecordLapsed(t *testing.T, s OutboxStore) {
	now := Now()
	task := finishedWithCallback(now)
	createTasks(t, s, task)
	first := claim(t, s, now, now.Add(time.Second), 1)[0]
	second := claim(t, s, now.Add(time.Second), now.Add(time.Minute), 1)[0]
	require.Equal(t, 2, second.Callback.Attempts)

	late := *first.Callback
	late.Status, late.NextAt = domain.CallbackDelivered, nil
	_, err := s.RecordCallback(t.Context(), domain.CallbackRecord{TaskID: task.ID, Attempt: 1, Result: late})
	require.ErrorIs(t, err, domain.ErrConflict, "the first claim lapsed: the second holds the delivery")

	failed := *second.Callback
	failed.Status, failed.LastError, failed.NextAt = domain.CallbackFailed, "gone", nil
	_, err = s.RecordCallback(t.Context(), domain.CallbackRecord{TaskID: task.ID, Attempt: 2, Result: failed})
	require.NoError(t, err)
	_, err = s.RecordCallback(t.Context(), domain.CallbackRecord{TaskID: task.ID, Attempt: 2, Result: failed})
	require.ErrorIs(t, err, domain.ErrConflict, "a finished delivery takes no more outcomes")
}

func outboxRecordUnknown(t *testing.T, s OutboxStore) {
	_, err := s.RecordCallback(t.Context(), domain.CallbackRecord{TaskID: NewID(), Attempt: 1,
		Result: domain.Callback{Status: domain.CallbackDelivered}})
	require.ErrorIs(t, err, domain.ErrNotFound)
}
