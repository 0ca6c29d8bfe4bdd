package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// scheduleRequest is the body of POST /schedules and PATCH /schedules/{id}; an absent
// field is nil (the default on create, unchanged on PATCH). Task stays raw: the schedule
// service validates it as a task request.
type scheduleRequest struct {
	Name     *string         `json:"name"`
	Cron     *string         `json:"cron"`
	Timezone *string         `json:"timezone"`
	Task     json.RawMessage `json:"task"`
	Enabled  *bool           `json:"enabled"`
	Overlap  *string         `json:"overlap"`
}

// scheduleView is a schedule as API.md shows it: every field present, null where unset.
type scheduleView struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Cron       string          `json:"cron"`
	Timezone   string          `json:"timezone"`
	Task       json.RawMessage `json:"task"`
	Enabled    bool            `json:"enabled"`
	Overlap    domain.Overlap  `json:"overlap"`
	NextRunAt  *string         `json:"next_run_at"`
	LastRunAt  *string         `json:"last_run_at"`
	LastTaskID *string         `json:"last_task_id"`
	CreatedAt  string          `json:"created_at"`
	UpdatedAt  string          `json:"updated_at"`
}

func newScheduleView(s domain.Schedule) scheduleView {
	return scheduleView{
		ID: s.ID, Name: s.Name, Cron: s.Cron, Timezone: s.Timezone, Task: s.Task, Enabled: s.Enabled,
		Overlap: s.Overlap, NextRunAt: formatTimePtr(s.NextRunAt), LastRunAt: formatTimePtr(s.LastRunAt),
		LastTaskID: optionalID(s.LastTaskID), CreatedAt: formatTime(s.CreatedAt), UpdatedAt: formatTime(s.UpdatedAt),
	}
}

func (s *Server) createSchedule(c *fiber.Ctx) error {
	var req scheduleRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	in := application.ScheduleInput{Name: deref(req.Name), Cron: deref(req.Cron), Timezone: deref(req.Timezone),
		Task: req.Task, Enabled: req.Enabled, Overlap: deref(req.Overlap)}
	sc, err := s.deps.Schedules.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/schedules/"+sc.ID)
	return writeJSON(c, http.StatusCreated, newScheduleView(sc))
}

func (s *Server) listSchedules(c *fiber.Ctx) error {
	list, err := s.deps.Schedules.List(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]scheduleView, 0, len(list))
	for _, sc := range list {
		out = append(out, newScheduleView(sc))
	}
	return writeJSON(c, http.StatusOK, map[string]any{"schedules": out})
}

func (s *Server) getSchedule(c *fiber.Ctx) error {
	sc, err := s.deps.Schedules.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newScheduleView(sc))
}

func (s *Server) patchSchedule(c *fiber.Ctx) error {
	var req scheduleRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	sc, err := s.deps.Schedules.Update(c.UserContext(), c.Params("id"), application.SchedulePatch{
		Name: req.Name, Cron: req.Cron, Timezone: req.Timezone, Task: req.Task, Enabled: req.Enabled, Overlap: req.Overlap,
	})
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newScheduleView(sc))
}

func (s *Server) deleteSchedule(c *fiber.Ctx) error {
	if err := s.deps.Schedules.Delete(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
