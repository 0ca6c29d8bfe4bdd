package application

import (
	"slices"

	"taskrunner/domain"
)

// EventFilter selects the task events a stream shows; an empty field matches everything.
type EventFilter struct {
	TaskID   string
	Types    []domain.TaskType
	Statuses []domain.Status
	ParentID string
}

// Match reports whether t passes every set field.
func (f EventFilter) Match(t *domain.Task) bool {
	return (f.TaskID == "" || t.ID == f.TaskID) &&
		(f.ParentID == "" || t.ParentID == f.ParentID) &&
		(len(f.Types) == 0 || slices.Contains(f.Types, t.Type)) &&
		(len(f.Statuses) == 0 || slices.Contains(f.Statuses, t.Status))
}
