package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// submitRequest is the body of POST /tasks. Params stays raw: its shape belongs to the
// task type's handler.
type submitRequest struct {
	Type           *string         `json:"type"`
	Params         json.RawMessage `json:"params"`
	TimeoutSeconds *int            `json:"timeout_seconds"`
	MaxRetries     *int            `json:"max_retries"`
	IdempotencyKey *string         `json:"idempotency_key"`
	CallbackURL    *string         `json:"callback_url"`
	scheduleFields
}

// scheduleFields are the scheduling fields of every task request (POST /tasks, the
// shortcuts, each task of /tasks/batch), embedded so each body accepts them.
type scheduleFields struct {
	RunAt        *string `json:"run_at"`
	DelaySeconds *int    `json:"delay_seconds"`
	Priority     *int    `json:"priority"`
}

// submitOptions are the fields every submitting route accepts beside its own.
type submitOptions struct {
	TimeoutSeconds *int
	MaxRetries     *int
	IdempotencyKey *string
	CallbackURL    *string
	Schedule       scheduleFields
}

func (s *Server) submitTask(c *fiber.Ctx) error {
	var req submitRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	typ := ""
	if req.Type != nil {
		typ = *req.Type
	}
	return s.submit(c, typ, req.Params, req.options())
}

// options are the request's fields beside type and params; a schedule's task reads them
// the same way (DecodeScheduledTask).
func (r submitRequest) options() submitOptions {
	return submitOptions{r.TimeoutSeconds, r.MaxRetries, r.IdempotencyKey, r.CallbackURL, r.scheduleFields}
}

// submit hands a task to the TaskService and answers 202 with the new task, or 200 with
// the earlier task an idempotency key matched.
func (s *Server) submit(c *fiber.Ctx, typ string, params json.RawMessage, opt submitOptions) error {
	t, created, err := s.deps.Tasks.Submit(c.UserContext(), s.submitInput(c, typ, params, opt))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusAccepted
	}
	c.Set(fiber.HeaderLocation, "/tasks/"+t.ID)
	return writeJSON(c, status, newTaskView(t))
}

// submitInput is one task submission from this request's client: the rate-limit
// identity, and the idempotency scope when auth is on.
func (s *Server) submitInput(c *fiber.Ctx, typ string, params json.RawMessage, opt submitOptions) application.SubmitInput {
	in := requestInput(typ, params, opt)
	in.ClientID = s.clientID(c)
	if s.authOn() {
		in.IdempotencyScope = s.clientID(c) // the token's identity
	}
	return in
}

// requestInput is a task request as the application takes it, whoever sent it: a client
// now, or a schedule firing later.
func requestInput(typ string, params json.RawMessage, opt submitOptions) application.SubmitInput {
	in := application.SubmitInput{
		Type:           typ,
		Params:         params,
		TimeoutSeconds: opt.TimeoutSeconds,
		MaxRetries:     opt.MaxRetries,
		DelaySeconds:   opt.Schedule.DelaySeconds,
		Priority:       opt.Schedule.Priority,
	}
	if opt.Schedule.RunAt != nil {
		in.RunAt = *opt.Schedule.RunAt
	}
	if opt.IdempotencyKey != nil {
		in.IdempotencyKey = *opt.IdempotencyKey
	}
	if opt.CallbackURL != nil {
		in.CallbackURL = *opt.CallbackURL
	}
	return in
}

func (s *Server) getTask(c *fiber.Ctx) error {
	wait, err := waitParam(c)
	if err != nil {
		return err
	}
	if wait > 0 && s.deps.Events != nil {
		return s.awaitTask(c, wait)
	}
	t, err := s.deps.Tasks.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newTaskView(t))
}

func (s *Server) listTasks(c *fiber.Ctx) error {
	in := application.ListInput{Status: queryList(c, "status"), Type: queryList(c, "type"), ParentID: c.Query("parent_id"),
		ScheduleID: c.Query("schedule_id"), CreatedAfter: c.Query("created_after"), CreatedBefore: c.Query("created_before")}
	if raw := c.Query("cursor"); raw != "" {
		after, err := decodeCursor(raw)
		if err != nil {
			return err
		}
		in.After = after
	}
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			return domain.InvalidRequest("limit", "limit must be an integer, got %q", raw)
		}
		in.Limit = &n
	}
	page, err := s.deps.Tasks.List(c.UserContext(), in)
	if err != nil {
		return err
	}
	out := taskListView{Tasks: make([]taskView, 0, len(page.Tasks))}
	for _, t := range page.Tasks {
		out.Tasks = append(out.Tasks, newTaskView(t))
	}
	if page.NextAfter != "" {
		next := encodeCursor(page.NextAfter)
		out.NextCursor = &next
	}
	return writeJSON(c, http.StatusOK, out)
}

func (s *Server) cancelTask(c *fiber.Ctx) error {
	t, err := s.deps.Tasks.Cancel(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newTaskView(t))
}

func (s *Server) listTaskArtifacts(c *fiber.Ctx) error {
	as, err := s.deps.Artifacts.ListByTask(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, map[string]any{"artifacts": newArtifactViews(as)})
}
