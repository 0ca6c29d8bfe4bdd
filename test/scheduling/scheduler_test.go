package scheduling

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/cronexpr"
	"taskrunner/adapters/httpapi"
	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/logcapture"
)

// start is a Thursday, 10:00:30 UTC: half a minute before the first "* * * * *" due time.
var start = time.Date(2025, 1, 2, 10, 0, 30, 0, time.UTC)

type rig struct {
	clock     *memory.FakeClock
	tasks     *memory.TaskStore
	store     ports.ScheduleStore
	service   *application.ScheduleService
	scheduler *application.Scheduler
	logs      *logcapture.Buffer
}

func setup(t *testing.T, wrap func(ports.ScheduleStore) ports.ScheduleStore) *rig {
	t.Helper()
	r := &rig{clock: memory.NewFakeClock(start), tasks: memory.NewTaskStore(), logs: &logcapture.Buffer{}}
	log := slog.New(slog.NewJSONHandler(r.logs, nil))
	limits := domain.DefaultLimits()
	ids := &domain.IDGenerator{}
	tasks, err := application.NewTaskService(application.TaskDeps{
		Store: r.tasks, Queue: memory.NewQueue(r.clock), Limiter: memory.NewRateLimiter(r.clock),
		Signals: memory.NewCancelSignals(), Clock: r.clock, IDs: ids, Limits: limits, Log: log,
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler(), domain.TaskSleep: application.NewSleepHandler()},
	})
	require.NoError(t, err)
	r.store = memory.NewScheduleStore()
	if wrap != nil {
		r.store = wrap(r.store)
	}
	deps := application.ScheduleDeps{Store: r.store, Cron: cronexpr.Parser{}, Tasks: tasks,
		Decode: httpapi.DecodeScheduledTask, Clock: r.clock, IDs: ids, Log: log}
	r.service, err = application.NewScheduleService(deps)
	require.NoError(t, err)
	r.scheduler, err = application.NewScheduler(deps, application.SchedulerConfig{})
	require.NoError(t, err)
	return r
}

func (r *rig) create(t *testing.T, cron, overlap string, task string) domain.Schedule {
	t.Helper()
	sc, err := r.service.Create(t.Context(), application.ScheduleInput{
		Name: "test", Cron: cron, Overlap: overlap, Task: json.RawMessage(task)})
	require.NoError(t, err)
	return sc
}

// runDue runs one pass of the scheduler at the clock's time and returns how many due
// times it handled.
func (r *rig) runDue(t *testing.T) int {
	t.Helper()
	n, err := r.scheduler.RunDue(t.Context())
	require.NoError(t, err)
	return n
}

func (r *rig) fired(t *testing.T, scheduleID string) []domain.Task {
	t.Helper()
	page, err := r.tasks.List(t.Context(), domain.TaskFilter{ScheduleID: scheduleID, Limit: 500})
	require.NoError(t, err)
	return page.Tasks
}

func (r *rig) get(t *testing.T, id string) domain.Schedule {
	t.Helper()
	sc, err := r.service.Get(t.Context(), id)
	require.NoError(t, err)
	return sc
}

const echo = `{"type":"echo","params":{"msg":"tick"}}`

func TestFiresAtTheDueTimeAndNotBefore(t *testing.T) {
	t.Parallel()
	r := setup(t, nil)
	sc := r.create(t, "* * * * *", "", echo)
	require.Equal(t, start.Truncate(time.Minute).Add(time.Minute), *sc.NextRunAt)

	r.clock.Set(sc.NextRunAt.Add(-time.Millisecond))
	require.Zero(t, r.runDue(t), "not due yet")
	r.clock.Set(*sc.NextRunAt)
	require.Equal(t, 1, r.runDue(t))
	tasks := r.fired(t, sc.ID)
	require.Len(t, tasks, 1)
	require.Equal(t, sc.ID, tasks[0].ScheduleID)
	require.Equal(t, domain.TaskEcho, tasks[0].Type)
	require.Equal(t, domain.StatusQueued, tasks[0].Status, "through the normal submit path")
	require.Equal(t, domain.DefaultLimits().TaskMaxRuntimeSeconds, tasks[0].TimeoutSeconds, "the submit path's defaults")

	got := r.get(t, sc.ID)
	require.Equal(t, tasks[0].ID, got.LastTaskID)
	require.Equal(t, r.clock.Now(), *got.LastRunAt)
	require.Equal(t, sc.NextRunAt.Add(time.Minute), *got.NextRunAt)
	require.Zero(t, r.runDue(t), "a due time fires once")
	require.Len(t, r.logs.Events("schedule_fired"), 1)
}

func TestFiresOnceAfterDowntime(t *testing.T) {
	t.Parallel()
	r := setup(t, nil)
	sc := r.create(t, "* * * * *", "allow", echo)

	// Down for an hour and a quarter: sixty-odd due times passed unseen.
	r.clock.Set(start.Add(75 * time.Minute))
	require.Equal(t, 1, r.runDue(t), "one firing for all the missed due times")
	require.Len(t, r.fired(t, sc.ID), 1)
	next := *r.get(t, sc.ID).NextRunAt
	require.Equal(t, r.clock.Now().Truncate(time.Minute).Add(time.Minute), next, "then the next future due time")
	require.True(t, next.After(r.clock.Now()))

	r.clock.Set(next)
	require.Equal(t, 1, r.runDue(t))
	require.Len(t, r.fired(t, sc.ID), 2)
}

func TestOverlapSkipWaitsForTheLastTask(t *testing.T) {
	t.Parallel()
	r := setup(t, nil)
	skip := r.create(t, "@every 1m", "", `{"type":"sleep","params":{"seconds":600}}`)
	allow := r.create(t, "@every 1m", "allow", `{"type":"sleep","params":{"seconds":600}}`)

	r.clock.Set(*skip.NextRunAt)
	require.Equal(t, 2, r.runDue(t))
	first := r.fired(t, skip.ID)[0]

	// The first task has not finished (no worker runs here): skip lets the due time pass.
	r.clock.Advance(time.Minute)
	require.Equal(t, 2, r.runDue(t), "both due times are handled")
	require.Len(t, r.fired(t, skip.ID), 1, "skip: no second task while the first is unfinished")
	require.Len(t, r.fired(t, allow.ID), 2, "allow: fires regardless")
	skipped := r.logs.Events("schedule_skipped")
	require.Len(t, skipped, 1)
	require.Equal(t, skip.ID, skipped[0]["schedule_id"])
	got := r.get(t, skip.ID)
	require.Equal(t, first.ID, got.LastTaskID)
	require.Equal(t, r.clock.Now().Add(time.Minute), *got.NextRunAt, "the skipped due time moves the plan on")

	// Once it finishes, the next due time fires again.
	_, err := r.tasks.Update(t.Context(), first.ID, func(tk *domain.Task) error {
		if err := tk.Start("holder", r.clock.Now()); err != nil {
			return err
		}
		return tk.Succeed(json.RawMessage(`{}`), r.clock.Now())
	})
	require.NoError(t, err)
	r.clock.Advance(time.Minute)
	require.Equal(t, 2, r.runDue(t))
	require.Len(t, r.fired(t, skip.ID), 2)
}

// crashAfterFn is a schedule store that loses the write of the first firing after fn ran:
// what a scheduler dying between the submit and the write of the schedule leaves behind.
type crashAfterFn struct {
	ports.ScheduleStore
	crashed bool
}

var errCrash = errors.New("the process died before the schedule was written")

func (c *crashAfterFn) FireDue(ctx context.Context, now time.Time, fn func(*domain.Schedule) error) (domain.Schedule, bool, error) {
	if c.crashed {
		return c.ScheduleStore.FireDue(ctx, now, fn)
	}
	c.crashed = true
	return c.ScheduleStore.FireDue(ctx, now, func(sc *domain.Schedule) error {
		if err := fn(sc); err != nil {
			return err
		}
		return errCrash // fn's task exists; the schedule keeps its old plan
	})
}

func TestACrashBetweenSubmitAndWriteFiresOnce(t *testing.T) {
	t.Parallel()
	r := setup(t, func(s ports.ScheduleStore) ports.ScheduleStore { return &crashAfterFn{ScheduleStore: s} })
	sc := r.create(t, "@every 30s", "allow", echo)
	r.clock.Set(*sc.NextRunAt)
	_, err := r.scheduler.RunDue(t.Context())
	require.ErrorIs(t, err, errCrash)
	lost := r.fired(t, sc.ID)
	require.Len(t, lost, 1, "the task of the crashed firing exists")
	require.Equal(t, *sc.NextRunAt, *r.get(t, sc.ID).NextRunAt, "the schedule still plans that due time")

	// The next pass (any process) fires the same due time again: it finds that task.
	r.clock.Advance(100 * time.Millisecond)
	require.Equal(t, 1, r.runDue(t))
	require.Len(t, r.fired(t, sc.ID), 1, "still one task for the due time")
	require.Equal(t, lost[0].ID, r.get(t, sc.ID).LastTaskID)
	events := r.logs.Events("schedule_fired")
	require.Len(t, events, 2)
	require.Equal(t, false, events[1]["created"], "the second firing found the first one's task")
}

func TestAFiredTaskThatNoLongerValidatesSkipsItsDueTime(t *testing.T) {
	t.Parallel()
	r := setup(t, nil)
	sc := r.create(t, "@every 1m", "allow", echo)
	// The stored request is made invalid behind the service's back (as a lowered limit
	// would make a once-valid timeout_seconds invalid).
	_, err := r.store.Update(t.Context(), sc.ID, func(cur *domain.Schedule) error {
		cur.Task = json.RawMessage(`{"type":"echo","timeout_seconds":100000}`)
		return nil
	})
	require.NoError(t, err)
	r.clock.Set(*sc.NextRunAt)
	require.Equal(t, 1, r.runDue(t), "handled, not retried forever")
	require.Empty(t, r.fired(t, sc.ID))
	require.Len(t, r.logs.Events("schedule_fire_failed"), 1)
	require.True(t, r.get(t, sc.ID).NextRunAt.After(r.clock.Now()))
}

func TestTheLoopFiresAndStops(t *testing.T) {
	t.Parallel()
	r := setup(t, nil)
	sc := r.create(t, "@every 1s", "allow", echo)
	r.clock.Set(*sc.NextRunAt)
	require.NoError(t, r.scheduler.Start(t.Context()))
	deadline := time.Now().Add(10 * time.Second)
	for len(r.fired(t, sc.ID)) == 0 {
		require.False(t, time.Now().After(deadline), "the loop never fired the due schedule")
		time.Sleep(10 * time.Millisecond) // a poll interval, not an expectation
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, r.scheduler.Stop(ctx))
	require.NoError(t, r.scheduler.Stop(ctx), "Stop is idempotent")
}
