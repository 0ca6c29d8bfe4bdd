package application

import (
	"context"
	"slices"
	"strings"
	"time"

	"taskrunner/domain"
)

// ListInput is a listing request as the API received it (strings, validated here).
type ListInput struct {
	// Status and Type are comma-separated lists ("failed,cancelled"): a task matches when
	// its status (type) is any of them; "" for any.
	Status   string
	Type     string
	ParentID string
	Limit    *int
	// After is the id of the last task of the previous page (its TaskPage.NextAfter), ""
	// for the first page. How a client carries it between pages is the API's business.
	After string
	// ScheduleID lists only the tasks that schedule fired; "" for any.
	ScheduleID string
	// CreatedAfter and CreatedBefore are RFC 3339 instants, exclusive bounds on the
	// tasks' creation time; "" for no bound.
	CreatedAfter  string
	CreatedBefore string
}

// List returns one page of tasks, newest first.
func (s *TaskService) List(ctx context.Context, in ListInput) (domain.TaskPage, error) {
	f := domain.TaskFilter{Limit: defaultListLimit}
	var err error
	if f.Statuses, err = parseList("status", "status", in.Status, func(v string) (domain.Status, bool) {
		return domain.Status(v), domain.Status(v).Valid()
	}); err != nil {
		return domain.TaskPage{}, err
	}
	if f.Types, err = parseList("type", "task type", in.Type, func(v string) (domain.TaskType, bool) {
		return domain.TaskType(v), isKnownType(domain.TaskType(v))
	}); err != nil {
		return domain.TaskPage{}, err
	}
	if in.ParentID != "" {
		if !domain.ValidID(in.ParentID) {
			return domain.TaskPage{}, domain.InvalidRequest("parent_id", "parent_id must be a task id (a UUID), got %q", in.ParentID)
		}
		f.ParentID = in.ParentID
	}
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > maxListLimit {
			return domain.TaskPage{}, domain.InvalidRequest("limit", "limit must be between 1 and %d", maxListLimit)
		}
		f.Limit = *in.Limit
	}
	f.After = in.After
	if in.ScheduleID != "" {
		if !domain.ValidID(in.ScheduleID) {
			return domain.TaskPage{}, domain.InvalidRequest("schedule_id", "schedule_id must be a schedule id (a UUID)")
		}
		f.ScheduleID = in.ScheduleID
	}
	if f.CreatedAfter, err = parseInstant("created_after", in.CreatedAfter); err != nil {
		return domain.TaskPage{}, err
	}
	if f.CreatedBefore, err = parseInstant("created_before", in.CreatedBefore); err != nil {
		return domain.TaskPage{}, err
	}
	if !f.CreatedAfter.IsZero() && !f.CreatedBefore.IsZero() && !f.CreatedAfter.Before(f.CreatedBefore) {
		return domain.TaskPage{}, domain.InvalidRequest("created_before", "created_before must be later than created_after")
	}
	return s.deps.Store.List(ctx, f)
}

// parseList splits a comma-separated filter into its distinct values, each checked by
// valid (noun names a value in messages); "" is no filter (nil). An empty item ("failed,,queued") is refused rather than
// read as "any": a client that built the list wrongly should hear so.
func parseList[T comparable](field, noun, raw string, valid func(string) (T, bool)) ([]T, error) {
	if raw == "" {
		return nil, nil
	}
	var out []T
	for _, item := range strings.Split(raw, ",") {
		v, ok := valid(item)
		switch {
		case item == "":
			return nil, domain.InvalidRequest(field, "%s has an empty value in %q; separate values with single commas", field, raw)
		case !ok:
			return nil, domain.InvalidRequest(field, "unknown %s %q", noun, item)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// parseInstant reads an RFC 3339 bound ("" for none), at the microsecond precision the
// stores keep.
func parseInstant(field, raw string) (time.Time, error) {
	if raw == "" {
		return time.Time{}, nil
	}
	at, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return time.Time{}, domain.InvalidRequest(field, "%s must be an RFC 3339 time such as 2025-01-31T12:00:00Z, got %q", field, raw)
	}
	return at.UTC().Truncate(time.Microsecond), nil
}
