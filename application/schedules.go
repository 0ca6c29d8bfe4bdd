package application

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"taskrunner/domain"
	"taskrunner/ports"
)

// TaskRequestDecoder turns a task request (the JSON object a client sends to POST /tasks)
// into a submission. The API's own decoding is injected, so a schedule's task accepts
// exactly the fields a submitted task does, including those added later.
type TaskRequestDecoder func(raw json.RawMessage) (SubmitInput, error)

// ScheduleDeps are what the schedule service and the scheduler need.
type ScheduleDeps struct {
	Store  ports.ScheduleStore
	Cron   ports.CronParser
	Tasks  *TaskService // validates a schedule's task, and submits it when it fires
	Decode TaskRequestDecoder
	Clock  ports.Clock
	IDs    *domain.IDGenerator
	Log    *slog.Logger
}

func (d ScheduleDeps) check(who string) error {
	if d.Store == nil || d.Cron == nil || d.Tasks == nil || d.Decode == nil || d.Clock == nil || d.IDs == nil || d.Log == nil {
		return errors.New("application: " + who + " needs Store, Cron, Tasks, Decode, Clock, IDs and Log")
	}
	return nil
}

// ScheduleInput is a new schedule as the API received it; "" and nil take the defaults
// (timezone UTC, enabled, overlap skip).
type ScheduleInput struct {
	Name     string
	Cron     string
	Timezone string
	Task     json.RawMessage
	Enabled  *bool
	Overlap  string
}

// SchedulePatch holds the fields a PATCH changes; nil (or an empty Task) leaves a field as
// it is.
type SchedulePatch struct {
	Name     *string
	Cron     *string
	Timezone *string
	Task     json.RawMessage
	Enabled  *bool
	Overlap  *string
}

// ScheduleService is the API side of schedules: create, read, list, change, delete.
type ScheduleService struct {
	deps ScheduleDeps
}

// NewScheduleService returns the service, or an error naming a missing dependency.
func NewScheduleService(d ScheduleDeps) (*ScheduleService, error) {
	if err := d.check("schedule service"); err != nil {
		return nil, err
	}
	return &ScheduleService{deps: d}, nil
}

// Create validates and stores a schedule, planned from now.
func (s *ScheduleService) Create(ctx context.Context, in ScheduleInput) (domain.Schedule, error) {
	if err := domain.CheckScheduleName(in.Name); err != nil {
		return domain.Schedule{}, err
	}
	overlap, err := domain.ParseOverlap(in.Overlap)
	if err != nil {
		return domain.Schedule{}, err
	}
	task, err := s.checkTask(in.Task)
	if err != nil {
		return domain.Schedule{}, err
	}
	now := s.deps.Clock.Now()
	sc := domain.Schedule{
		ID: s.deps.IDs.New(now), Name: in.Name, Cron: in.Cron, Timezone: zoneName(in.Timezone), Task: task,
		Enabled: in.Enabled == nil || *in.Enabled, Overlap: overlap, CreatedAt: now, UpdatedAt: now,
	}
	rec, err := recurrence(s.deps.Cron, &sc)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := sc.Plan(rec, now); err != nil {
		return domain.Schedule{}, err
	}
	existing, err := s.deps.Store.List(ctx, domain.MaxSchedules)
	if err != nil {
		return domain.Schedule{}, err
	}
	if len(existing) >= domain.MaxSchedules {
		return domain.Schedule{}, domain.InvalidParams("name", "at most %d schedules may exist; delete one first", domain.MaxSchedules)
	}
	if err := s.deps.Store.Create(ctx, sc); err != nil {
		return domain.Schedule{}, err
	}
	s.deps.Log.InfoContext(ctx, "schedule_created", "schedule_id", sc.ID, "cron", sc.Cron, "timezone", sc.Timezone)
	return sc, nil
}

// Get returns a schedule or schedule_not_found.
func (s *ScheduleService) Get(ctx context.Context, id string) (domain.Schedule, error) {
	if !domain.ValidID(id) {
		return domain.Schedule{}, scheduleNotFound(id)
	}
	sc, err := s.deps.Store.Get(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Schedule{}, scheduleNotFound(id)
	}
	return sc, err
}

// List returns every schedule, oldest first (there are at most domain.MaxSchedules).
func (s *ScheduleService) List(ctx context.Context) ([]domain.Schedule, error) {
	return s.deps.Store.List(ctx, domain.MaxSchedules)
}

// Update applies a patch atomically. A change of cron, timezone or enabled plans the next
// run afresh from now; a change of the task or overlap leaves the plan as it was.
func (s *ScheduleService) Update(ctx context.Context, id string, p SchedulePatch) (domain.Schedule, error) {
	if !domain.ValidID(id) {
		return domain.Schedule{}, scheduleNotFound(id)
	}
	var task json.RawMessage
	if p.Task != nil {
		var err error
		if task, err = s.checkTask(p.Task); err != nil {
			return domain.Schedule{}, err
		}
	}
	sc, err := s.deps.Store.Update(ctx, id, func(cur *domain.Schedule) error {
		return s.apply(cur, p, task)
	})
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Schedule{}, scheduleNotFound(id)
	}
	if err != nil {
		return domain.Schedule{}, err
	}
	s.deps.Log.InfoContext(ctx, "schedule_updated", "schedule_id", sc.ID)
	return sc, nil
}

// apply changes cur as p says; task is p.Task as checked.
func (s *ScheduleService) apply(cur *domain.Schedule, p SchedulePatch, task json.RawMessage) error {
	replan := false
	if p.Name != nil {
		if err := domain.CheckScheduleName(*p.Name); err != nil {
			return err
		}
		cur.Name = *p.Name
	}
	if p.Overlap != nil {
		overlap, err := domain.ParseOverlap(*p.Overlap)
		if err != nil {
			return err
		}
		cur.Overlap = overlap
	}
	if task != nil {
		cur.Task = task
	}
	if p.Cron != nil && *p.Cron != cur.Cron {
		cur.Cron, replan = *p.Cron, true
	}
	if p.Timezone != nil && zoneName(*p.Timezone) != cur.Timezone {
		cur.Timezone, replan = zoneName(*p.Timezone), true
	}
	if p.Enabled != nil && *p.Enabled != cur.Enabled {
		cur.Enabled, replan = *p.Enabled, true
	}
	now := s.deps.Clock.Now()
	cur.UpdatedAt = now
	rec, err := recurrence(s.deps.Cron, cur) // also validates a patched cron or timezone
	if err != nil || !replan {
		return err
	}
	return cur.Plan(rec, now)
}

// Delete removes a schedule; the tasks it fired stay.
func (s *ScheduleService) Delete(ctx context.Context, id string) error {
	if !domain.ValidID(id) {
		return scheduleNotFound(id)
	}
	err := s.deps.Store.Delete(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return scheduleNotFound(id)
	}
	if err == nil {
		s.deps.Log.InfoContext(ctx, "schedule_deleted", "schedule_id", id)
	}
	return err
}

// checkTask validates a schedule's task request as a submit would (without writing
// anything) and returns it compacted, as stored. Its errors name the field under "task.".
func (s *ScheduleService) checkTask(raw json.RawMessage) (json.RawMessage, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, domain.InvalidRequest("task", "task must be a JSON object: a task request as POST /tasks takes it")
	}
	if err := domain.CheckJSONText("task", trimmed); err != nil {
		return nil, err
	}
	in, err := s.deps.Decode(trimmed)
	if err != nil {
		return nil, underTask(err)
	}
	if _, err := s.deps.Tasks.prepare(in); err != nil {
		return nil, underTask(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, trimmed); err != nil {
		return nil, domain.InvalidRequest("task", "task is not valid JSON")
	}
	return buf.Bytes(), nil
}

// underTask names a task request's field as a field of the schedule's task.
func underTask(err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	out := domain.NewError(de.Code, "task: %s", de.Message).WithCause(err)
	for k, v := range de.Details {
		out.WithDetail(k, v)
	}
	if f, ok := de.Details["field"].(string); ok && f != "" {
		out.WithDetail("field", "task."+f)
	} else {
		out.WithDetail("field", "task")
	}
	return out
}

// recurrence parses sc's cron expression in its zone; errors are 422s naming the field.
func recurrence(p ports.CronParser, sc *domain.Schedule) (domain.Recurrence, error) {
	loc, err := domain.LoadTimezone(sc.Timezone)
	if err != nil {
		return nil, err
	}
	rec, err := p.Parse(sc.Cron, loc)
	if err == nil {
		return rec, nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return nil, de
	}
	return nil, domain.InvalidParams("cron", "invalid cron expression %q: %s", sc.Cron, err.Error())
}

// zoneName is the stored zone: the name given, or UTC.
func zoneName(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return tz
}

func scheduleNotFound(id string) error {
	return domain.NewError(domain.CodeScheduleNotFound, "schedule %s not found", id).WithCause(domain.ErrNotFound)
}
