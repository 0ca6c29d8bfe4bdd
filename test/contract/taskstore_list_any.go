package contract

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// taskListAnyOf: Statuses and Types keep the tasks whose status (type) is any of the
// values, alone, together and with the single-value filters.
func taskListAnyOf(t *testing.T, s ports.TaskStore) {
	typeA, typeB, typeC := UniqueTaskType(), UniqueTaskType(), UniqueTaskType()
	statuses := []domain.Status{domain.StatusQueued, domain.StatusFailed, domain.StatusCancelled}
	var created []domain.Task
	for _, typ := range []domain.TaskType{typeA, typeB, typeC} {
		for _, st := range statuses {
			created = append(created, createTask(t, s, NewTask(WithType(typ), WithStatus(st))))
		}
	}
	var all []string
	for _, task := range created {
		all = append(all, task.ID)
	}
	oldest := slices.Min(all)
	wanted := func(keep func(domain.Task) bool) []string {
		var want []string
		for i := len(created) - 1; i >= 0; i-- {
			if keep(created[i]) {
				want = append(want, created[i].ID)
			}
		}
		return want
	}
	failedOrCancelled := []domain.Status{domain.StatusFailed, domain.StatusCancelled}
	cases := []struct {
		name   string
		filter domain.TaskFilter
		keep   func(domain.Task) bool
	}{
		{"two types", domain.TaskFilter{Types: []domain.TaskType{typeA, typeC}},
			func(x domain.Task) bool { return x.Type == typeA || x.Type == typeC }},
		{"two statuses within types", domain.TaskFilter{Statuses: failedOrCancelled, Types: []domain.TaskType{typeA, typeB, typeC}},
			func(x domain.Task) bool { return x.Status != domain.StatusQueued }},
		{"statuses and one type", domain.TaskFilter{Statuses: failedOrCancelled, Type: typeB},
			func(x domain.Task) bool { return x.Type == typeB && x.Status != domain.StatusQueued }},
		{"both narrow", domain.TaskFilter{Statuses: failedOrCancelled, Status: domain.StatusFailed, Types: []domain.TaskType{typeB, typeC}},
			func(x domain.Task) bool { return x.Type != typeA && x.Status == domain.StatusFailed }},
		{"no match", domain.TaskFilter{Statuses: []domain.Status{domain.StatusSucceeded, domain.StatusRunning}, Types: []domain.TaskType{typeA}},
			func(domain.Task) bool { return false }},
	}
	for _, c := range cases {
		c.filter.Limit = 2
		got := listAll(t, s, c.filter, oldest)
		for _, task := range got {
			if len(c.filter.Statuses) > 0 {
				require.Contains(t, c.filter.Statuses, task.Status, "%s: status filter", c.name)
			}
			if len(c.filter.Types) > 0 {
				require.Contains(t, c.filter.Types, task.Type, "%s: type filter", c.name)
			}
		}
		require.Equal(t, wanted(c.keep), ours(got, all), c.name)
	}
}

// taskListCreatedRange: CreatedAfter and CreatedBefore are exclusive bounds on CreatedAt,
// alone and together, and page like any other filter.
func taskListCreatedRange(t *testing.T, s ports.TaskStore) {
	typ := UniqueTaskType()
	base := Now().Add(-time.Hour)
	var ids []string
	for i := range 6 {
		at := base.Add(time.Duration(i) * time.Second)
		task := createTask(t, s, NewTask(WithType(typ), func(x *domain.Task) { x.CreatedAt, x.UpdatedAt = at, at }))
		ids = append(ids, task.ID)
	}
	slices.Reverse(ids) // newest first: ids[5] was created at base
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	cases := []struct {
		name   string
		filter domain.TaskFilter
		want   []string
	}{
		{"after excludes its own instant", domain.TaskFilter{CreatedAfter: at(2)}, ids[:3]},
		{"before excludes its own instant", domain.TaskFilter{CreatedBefore: at(2)}, ids[4:]},
		{"both", domain.TaskFilter{CreatedAfter: at(0), CreatedBefore: at(5)}, ids[1:5]},
		{"between two tasks", domain.TaskFilter{CreatedAfter: at(3).Add(-time.Microsecond), CreatedBefore: at(3).Add(time.Microsecond)}, ids[2:3]},
		{"empty range", domain.TaskFilter{CreatedAfter: at(4), CreatedBefore: at(4)}, nil},
	}
	for _, c := range cases {
		c.filter.Type, c.filter.Limit = typ, 2
		got := listAll(t, s, c.filter, "")
		require.Equal(t, c.want, ours(got, ids), c.name)
		require.Len(t, got, len(c.want), "%s: only tasks of the unique type", c.name)
	}
}
