package httpapi

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// runLookupView is GET /runs: whether a (scope, key) was processed, and its latest run.
type runLookupView struct {
	Scope     string   `json:"scope"`
	Key       string   `json:"key"`
	Processed bool     `json:"processed"`
	Latest    *runView `json:"latest"`
}

// runView is one recorded run. Its key is the stored, scope-prefixed one.
type runView struct {
	ID          string          `json:"id"`
	Key         string          `json:"key"`
	TaskID      *string         `json:"task_id"`
	Status      string          `json:"status"`
	ArtifactIDs []string        `json:"artifact_ids"`
	StartedAt   string          `json:"started_at"`
	FinishedAt  string          `json:"finished_at"`
	Metrics     []runMetricView `json:"metrics"`
	Notes       []runNoteView   `json:"notes"`
}

type runMetricView struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

type runNoteView struct {
	Text      string `json:"text"`
	CreatedAt string `json:"created_at"`
}

func (s *Server) lookupRuns(c *fiber.Ctx) error {
	got, err := s.deps.Runs.Lookup(c.UserContext(), c.Query("scope"), c.Query("key"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newRunLookupView(got))
}

func newRunLookupView(l application.RunLookup) runLookupView {
	out := runLookupView{Scope: l.Scope, Key: l.Key, Processed: l.Processed}
	if l.Latest != nil {
		out.Latest = newRunView(*l.Latest)
	}
	return out
}

func newRunView(r domain.Run) *runView {
	v := &runView{ID: r.ID, Key: r.Key, Status: string(r.Status), ArtifactIDs: append([]string{}, r.ArtifactIDs...),
		StartedAt: formatTime(r.StartedAt), FinishedAt: formatTime(r.FinishedAt),
		Metrics: make([]runMetricView, 0, len(r.Metrics)), Notes: make([]runNoteView, 0, len(r.Notes))}
	if r.TaskID != "" {
		id := r.TaskID
		v.TaskID = &id
	}
	for _, m := range r.Metrics {
		v.Metrics = append(v.Metrics, runMetricView{Name: m.Name, Value: m.Value})
	}
	for _, n := range r.Notes {
		v.Notes = append(v.Notes, runNoteView{Text: n.Text, CreatedAt: formatTime(n.CreatedAt)})
	}
	return v
}
