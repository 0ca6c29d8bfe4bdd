package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// ScheduleStore is the contract of ports.ScheduleStore. Each subtest needs a store of its
// own: FireDue takes whatever schedule is due, so a shared store would hand one test's
// schedules to another.
func ScheduleStore(t *testing.T, newStore func(t *testing.T) ports.ScheduleStore) {
	t.Helper()
	runSuite(t, newStore, []suiteCase[ports.ScheduleStore]{
		{"Create", "StoresEveryField", scheduleCreateFull},
		{"Create", "KeepsOptionalFieldsEmpty", scheduleCreateMinimal},
		{"Create", "RejectsDuplicateID", scheduleCreateDuplicate},
		{"Get", "UnknownIsNotFound", scheduleGetUnknown},
		{"List", "OldestFirstUpToLimit", scheduleList},
		{"List", "EmptyIsEmptySlice", scheduleListEmpty},
		{"Update", "AppliesAndStores", scheduleUpdateApplies},
		{"Update", "FnErrorLeavesRecordUnchanged", scheduleUpdateFnError},
		{"Update", "UnknownIsNotFound", scheduleUpdateUnknown},
		{"Update", "LosesNoUpdates", scheduleUpdateNoLostUpdates},
		{"Delete", "Removes", scheduleDelete},
		{"Delete", "UnknownIsNotFound", scheduleDeleteUnknown},
		{"FireDue", "NothingDueCallsNothing", scheduleFireNothingDue},
		{"FireDue", "EarliestDueFirst", scheduleFireEarliest},
		{"FireDue", "SkipsDisabledAndFuture", scheduleFireSkips},
		{"FireDue", "FnErrorStoresNothing", scheduleFireFnError},
		{"FireDue", "OneCallerPerDueTime", scheduleFireOnce},
		{"FireDue", "LosesNoConcurrentUpdate", scheduleFireWithUpdate},
		{"NextDue", "EarliestEnabled", scheduleNextDue},
		{"NextDue", "NoneWhenNothingPlanned", scheduleNextDueNone},
	})
}

// ScheduleOption adjusts a schedule made by NewSchedule.
type ScheduleOption func(*domain.Schedule)

// NewSchedule returns a valid enabled schedule with a fresh id, due in an hour, adjusted
// by opts.
func NewSchedule(opts ...ScheduleOption) domain.Schedule {
	now := Now()
	next := now.Add(time.Hour)
	s := domain.Schedule{
		ID: NewID(), Name: "nightly", Cron: "0 * * * *", Timezone: "UTC",
		Task:    []byte(`{"type":"echo","params":{"msg":"hi"}}`),
		Enabled: true, Overlap: domain.OverlapSkip, NextRunAt: &next,
		CreatedAt: now, UpdatedAt: now,
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// DueAt sets NextRunAt (nil for none).
func DueAt(at *time.Time) ScheduleOption {
	return func(s *domain.Schedule) { s.NextRunAt = at }
}

func timeAt(t time.Time) *time.Time { return &t }

// RequireSameSchedule checks every field of got against want, times to the microsecond.
func RequireSameSchedule(t *testing.T, want, got domain.Schedule) {
	t.Helper()
	require.Equal(t, want.ID, got.ID, "ID")
	require.Equal(t, want.Name, got.Name, "Name")
	require.Equal(t, want.Cron, got.Cron, "Cron")
	require.Equal(t, want.Timezone, got.Timezone, "Timezone")
	requireSameJSON(t, want.Task, got.Task, "Task")
	require.Equal(t, want.Enabled, got.Enabled, "Enabled")
	require.Equal(t, want.Overlap, got.Overlap, "Overlap")
	requireSameTimePtr(t, want.NextRunAt, got.NextRunAt, "NextRunAt")
	requireSameTimePtr(t, want.LastRunAt, got.LastRunAt, "LastRunAt")
	require.Equal(t, want.LastTaskID, got.LastTaskID, "LastTaskID")
	RequireSameTime(t, want.CreatedAt, got.CreatedAt, "CreatedAt")
	RequireSameTime(t, want.UpdatedAt, got.UpdatedAt, "UpdatedAt")
}

func createSchedule(t *testing.T, s ports.ScheduleStore, sc domain.Schedule) domain.Schedule {
	t.Helper()
	require.NoError(t, s.Create(t.Context(), sc), "Create")
	return sc
}

func getSchedule(t *testing.T, s ports.ScheduleStore, id string) domain.Schedule {
	t.Helper()
	got, err := s.Get(t.Context(), id)
	require.NoError(t, err, "Get")
	return got
}

func scheduleCreateFull(t *testing.T, s ports.ScheduleStore) {
	last := Now().Add(-time.Minute)
	want := NewSchedule(func(sc *domain.Schedule) {
		sc.Timezone, sc.Overlap, sc.LastRunAt, sc.LastTaskID = "Europe/Berlin", domain.OverlapAllow, &last, NewID()
		sc.Task = []byte(`{"type":"sleep","params":{"seconds":1},"max_retries":2,"timeout_seconds":5}`)
	})
	createSchedule(t, s, want)
	RequireSameSchedule(t, want, getSchedule(t, s, want.ID))
}

func scheduleCreateMinimal(t *testing.T, s ports.ScheduleStore) {
	want := NewSchedule(DueAt(nil), func(sc *domain.Schedule) { sc.Enabled = false })
	createSchedule(t, s, want)
	got := getSchedule(t, s, want.ID)
	RequireSameSchedule(t, want, got)
	require.Nil(t, got.NextRunAt)
	require.Nil(t, got.LastRunAt)
	require.Empty(t, got.LastTaskID)
}

func scheduleCreateDuplicate(t *testing.T, s ports.ScheduleStore) {
	sc := createSchedule(t, s, NewSchedule())
	require.Error(t, s.Create(t.Context(), sc))
}

func scheduleGetUnknown(t *testing.T, s ports.ScheduleStore) {
	_, err := s.Get(t.Context(), NewID())
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func scheduleList(t *testing.T, s ports.ScheduleStore) {
	var made []string
	for range 3 {
		made = append(made, createSchedule(t, s, NewSchedule()).ID)
	}
	all, err := s.List(t.Context(), 10)
	require.NoError(t, err)
	require.Equal(t, made, scheduleIDs(all))
	two, err := s.List(t.Context(), 2)
	require.NoError(t, err)
	require.Equal(t, made[:2], scheduleIDs(two))
}

func scheduleIDs(list []domain.Schedule) []string {
	out := []string{}
	for _, sc := range list {
		out = append(out, sc.ID)
	}
	return out
}

func scheduleListEmpty(t *testing.T, s ports.ScheduleStore) {
	all, err := s.List(t.Context(), 10)
	require.NoError(t, err)
	require.NotNil(t, all)
	require.Empty(t, all)
}

func scheduleUpdateApplies(t *testing.T, s ports.ScheduleStore) {
	sc := createSchedule(t, s, NewSchedule())
	later := Now().Add(2 * time.Hour)
	got, err := s.Update(t.Context(), sc.ID, func(cur *domain.Schedule) error {
		cur.Cron, cur.Enabled, cur.NextRunAt, cur.UpdatedAt = "@daily", false, nil, later
		cur.Task = []byte(`{"type":"echo","params":{}}`)
		return nil
	})
	require.NoError(t, err)
	want := sc
	want.Cron, want.Enabled, want.NextRunAt, want.UpdatedAt = "@daily", false, nil, later
	want.Task = []byte(`{"type":"echo","params":{}}`)
	RequireSameSchedule(t, want, got)
	RequireSameSchedule(t, want, getSchedule(t, s, sc.ID))
}

func scheduleUpdateFnError(t *testing.T, s ports.ScheduleStore) {
	sc := createSchedule(t, s, NewSchedule())
	boom := errors.New("boom")
	_, err := s.Update(t.Context(), sc.ID, func(cur *domain.Schedule) error {
		cur.Name = "changed"
		return boom
	})
	require.ErrorIs(t, err, boom)
	RequireSameSchedule(t, sc, getSchedule(t, s, sc.ID))
}

func scheduleUpdateUnknown(t *testing.T, s ports.ScheduleStore) {
	_, err := s.Update(t.Context(), NewID(), func(*domain.Schedule) error { return nil })
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func scheduleUpdateNoLostUpdates(t *testing.T, s ports.ScheduleStore) {
	const n = 10
	sc := createSchedule(t, s, NewSchedule(func(sc *domain.Schedule) { sc.Name = "" }))
	done := make(chan error, n)
	for range n {
		go func() {
			_, err := s.Update(t.Context(), sc.ID, func(cur *domain.Schedule) error {
				cur.Name += "x"
				return nil
			})
			done <- err
		}()
	}
	for range n {
		require.NoError(t, <-done)
	}
	require.Len(t, getSchedule(t, s, sc.ID).Name, n, "every change is kept")
}

func scheduleDelete(t *testing.T, s ports.ScheduleStore) {
	sc := createSchedule(t, s, NewSchedule())
	require.NoError(t, s.Delete(t.Context(), sc.ID))
	_, err := s.Get(t.Context(), sc.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func scheduleDeleteUnknown(t *testing.T, s ports.ScheduleStore) {
	require.ErrorIs(t, s.Delete(t.Context(), NewID()), domain.ErrNotFound)
}

// advance is the fn of a well-behaved firing: NextRunAt moves an hour past now.
func advance(now time.Time, taskID string) func(*domain.Schedule) error {
	return func(cur *domain.Schedule) error {
		cur.NextRunAt = timeAt(now.Add(time.Hour))
		cur.LastRunAt = timeAt(now)
		cur.LastTaskID = taskID
		return nil
	}
}

func scheduleFireNothingDue(t *testing.T, s ports.ScheduleStore) {
	createSchedule(t, s, NewSchedule())
	_, ok, err := s.FireDue(t.Context(), Now(), func(*domain.Schedule) error {
		t.Error("fn called with nothing due")
		return nil
	})
	require.NoError(t, err)
	require.False(t, ok)
}

func scheduleFireEarliest(t *testing.T, s ports.ScheduleStore) {
	now := Now()
	later := createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(-time.Second)))))
	earlier := createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(-time.Minute)))))
	taskID := NewID()
	fired, ok, err := s.FireDue(t.Context(), now, advance(now, taskID))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, earlier.ID, fired.ID)
	want := earlier
	require.NoError(t, advance(now, taskID)(&want))
	RequireSameSchedule(t, want, fired)
	RequireSameSchedule(t, want, getSchedule(t, s, earlier.ID))

	fired, ok, err = s.FireDue(t.Context(), now, advance(now, NewID()))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, later.ID, fired.ID)
	_, ok, err = s.FireDue(t.Context(), now, advance(now, NewID()))
	require.NoError(t, err)
	require.False(t, ok, "both fired: nothing is due any more")
}

func scheduleFireSkips(t *testing.T, s ports.ScheduleStore) {
	now := Now()
	createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(-time.Minute))), func(sc *domain.Schedule) { sc.Enabled = false }))
	createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(time.Millisecond)))))
	createSchedule(t, s, NewSchedule(DueAt(nil)))
	_, ok, err := s.FireDue(t.Context(), now, advance(now, NewID()))
	require.NoError(t, err)
	require.False(t, ok)
	exact := createSchedule(t, s, NewSchedule(DueAt(timeAt(now))))
	fired, ok, err := s.FireDue(t.Context(), now, advance(now, NewID()))
	require.NoError(t, err)
	require.True(t, ok, "due exactly now is due")
	require.Equal(t, exact.ID, fired.ID)
}

func scheduleFireFnError(t *testing.T, s ports.ScheduleStore) {
	now := Now()
	sc := createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(-time.Second)))))
	boom := errors.New("boom")
	_, ok, err := s.FireDue(t.Context(), now, func(cur *domain.Schedule) error {
		cur.LastTaskID = NewID()
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.False(t, ok)
	RequireSameSchedule(t, sc, getSchedule(t, s, sc.ID))
}

// scheduleFireOnce races callers for one due schedule: exactly one fn runs and stores.
func scheduleFireOnce(t *testing.T, s ports.ScheduleStore) {
	const callers = 8
	now := Now()
	sc := createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(-time.Second)))))
	calls := make(chan string, callers)
	type outcome struct {
		ok  bool
		err error
	}
	results := make(chan outcome, callers)
	for range callers {
		go func() {
			taskID := NewID()
			_, ok, err := s.FireDue(t.Context(), now, func(cur *domain.Schedule) error {
				calls <- taskID
				return advance(now, taskID)(cur)
			})
			results <- outcome{ok, err}
		}()
	}
	fired := 0
	for range callers {
		r := <-results
		require.NoError(t, r.err)
		if r.ok {
			fired++
		}
	}
	close(calls)
	var taskIDs []string
	for id := range calls {
		taskIDs = append(taskIDs, id)
	}
	require.Equal(t, 1, fired, "one caller fires the due time")
	require.Len(t, taskIDs, 1, "fn runs once")
	require.Equal(t, taskIDs[0], getSchedule(t, s, sc.ID).LastTaskID)
}

// scheduleFireWithUpdate changes a schedule while it is being fired: both changes stay.
func scheduleFireWithUpdate(t *testing.T, s ports.ScheduleStore) {
	now := Now()
	sc := createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(-time.Second)))))
	inside, release := make(chan struct{}), make(chan struct{})
	taskID := NewID()
	fireDone := make(chan error, 1)
	go func() {
		_, _, err := s.FireDue(t.Context(), now, func(cur *domain.Schedule) error {
			close(inside)
			<-release
			return advance(now, taskID)(cur)
		})
		fireDone <- err
	}()
	<-inside
	updateDone := make(chan error, 1)
	go func() {
		_, err := s.Update(t.Context(), sc.ID, func(cur *domain.Schedule) error {
			cur.Name = "renamed"
			return nil
		})
		updateDone <- err
	}()
	close(release)
	require.NoError(t, <-fireDone)
	require.NoError(t, <-updateDone)
	got := getSchedule(t, s, sc.ID)
	require.Equal(t, "renamed", got.Name, "the update is kept")
	require.Equal(t, taskID, got.LastTaskID, "the firing is kept")
}

func scheduleNextDue(t *testing.T, s ports.ScheduleStore) {
	now := Now()
	createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(-time.Hour))), func(sc *domain.Schedule) { sc.Enabled = false }))
	createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(time.Hour)))))
	createSchedule(t, s, NewSchedule(DueAt(timeAt(now.Add(time.Minute)))))
	createSchedule(t, s, NewSchedule(DueAt(nil)))
	next, ok, err := s.NextDue(t.Context())
	require.NoError(t, err)
	require.True(t, ok)
	RequireSameTime(t, now.Add(time.Minute), next, "NextDue")
}

func scheduleNextDueNone(t *testing.T, s ports.ScheduleStore) {
	createSchedule(t, s, NewSchedule(DueAt(nil), func(sc *domain.Schedule) { sc.Enabled = false }))
	_, ok, err := s.NextDue(t.Context())
	require.NoError(t, err)
	require.False(t, ok)
}
