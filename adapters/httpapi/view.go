package httpapi

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// timeLayout is RFC 3339 in UTC with microseconds: the precision PostgreSQL keeps, so a
// time reads back the same from every store.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func formatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

// taskView is a task as API.md shows it: every field present, null where unset. The
// idempotency key and client id stay server-side.
type taskView struct {
	ID             string            `json:"id"`
	Type           domain.TaskType   `json:"type"`
	Status         domain.Status     `json:"status"`
	Params         json.RawMessage   `json:"params"`
	Result         json.RawMessage   `json:"result"`
	Error          *domain.TaskError `json:"error"`
	Attempts       int               `json:"attempts"`
	MaxRetries     int               `json:"max_retries"`
	TimeoutSeconds int               `json:"timeout_seconds"`
	CreatedAt      string            `json:"created_at"`
	UpdatedAt      string            `json:"updated_at"`
	StartedAt      *string           `json:"started_at"`
	FinishedAt     *string           `json:"finished_at"`
	Callback       *callbackView     `json:"callback"`
	RunAt          *string           `json:"run_at"`
	Priority       int               `json:"priority"`
	ParentID       *string           `json:"parent_id"`
	ScheduleID     *string           `json:"schedule_id"`
	taskOpsView
}

func newTaskView(t domain.Task) taskView {
	params := t.Params
	if len(params) == 0 {
		params = json.RawMessage("{}")
	}
	var result json.RawMessage // nil marshals as null
	if len(t.Result) > 0 {
		result = t.Result
	}
	return taskView{
		ID: t.ID, Type: t.Type, Status: t.Status, Params: params, Result: result, Error: t.Error,
		Attempts: t.Attempts, MaxRetries: t.MaxRetries, TimeoutSeconds: t.TimeoutSeconds,
		CreatedAt: formatTime(t.CreatedAt), UpdatedAt: formatTime(t.UpdatedAt),
		StartedAt: formatTimePtr(t.StartedAt), FinishedAt: formatTimePtr(t.FinishedAt),
		Callback: newCallbackView(t.Callback),
		RunAt:    formatTimePtr(t.RunAt), Priority: viewPriority(t.Priority), ParentID: optionalID(t.ParentID),
		ScheduleID:  optionalID(t.ScheduleID),
		taskOpsView: newTaskOpsView(t),
	}
}

// viewPriority shows a record written without a priority (0) as the default it runs at.
func viewPriority(p int) int {
	if p == 0 {
		return domain.DefaultPriority
	}
	return p
}

// optionalID is id, or nil (null) when empty.
func optionalID(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// taskListView is one page of GET /tasks.
type taskListView struct {
	Tasks      []taskView `json:"tasks"`
	NextCursor *string    `json:"next_cursor"`
}

// artifactView is artifact metadata as API.md shows it.
type artifactView struct {
	ID          string          `json:"id"`
	TaskID      *string         `json:"task_id"`
	Type        string          `json:"type"`
	ContentType string          `json:"content_type"`
	SizeBytes   int64           `json:"size_bytes"`
	SHA256      string          `json:"sha256"`
	CreatedAt   string          `json:"created_at"`
	Metadata    json.RawMessage `json:"metadata"`
}

func newArtifactView(a domain.Artifact) artifactView {
	var taskID *string
	if a.TaskID != "" {
		id := a.TaskID
		taskID = &id
	}
	meta := a.Metadata
	if len(meta) == 0 {
		meta = json.RawMessage("{}")
	}
	return artifactView{
		ID: a.ID, TaskID: taskID, Type: a.Type, ContentType: a.ContentType, SizeBytes: a.SizeBytes,
		SHA256: a.SHA256, CreatedAt: formatTime(a.CreatedAt), Metadata: meta,
	}
}

func newArtifactViews(as []domain.Artifact) []artifactView {
	out := make([]artifactView, 0, len(as))
	for _, a := range as {
		out = append(out, newArtifactView(a))
	}
	return out
}

// writeJSON sends v as the JSON body with the status.
func writeJSON(c *fiber.Ctx, status int, v any) error {
	body, err := marshalJSON(v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Status(status).Send(body)
}
