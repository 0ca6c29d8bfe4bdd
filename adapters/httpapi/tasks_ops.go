package httpapi

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// retryTask answers POST /tasks/{id}/retry: 202 with the new task.
func (s *Server) retryTask(c *fiber.Ctx) error {
	t, err := s.deps.Tasks.Retry(c.UserContext(), c.Params("id"), s.clientID(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/tasks/"+t.ID)
	return writeJSON(c, http.StatusAccepted, newTaskView(t))
}

// deleteTask answers DELETE /tasks/{id}: 204 once the task and its artifacts are gone.
func (s *Server) deleteTask(c *fiber.Ctx) error {
	if err := s.deps.Deletion.Delete(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

// taskAttempts answers GET /tasks/{id}/attempts.
func (s *Server) taskAttempts(c *fiber.Ctx) error {
	log, err := s.deps.Tasks.Attempts(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, map[string]any{"attempts": newAttemptViews(log)})
}

// statsView is the body of GET /stats.
type statsView struct {
	GeneratedAt            string                          `json:"generated_at"`
	CountsAt               string                          `json:"counts_at"`
	ByStatus               map[domain.Status]int64         `json:"by_status"`
	ByType                 map[domain.TaskType]int64       `json:"by_type"`
	LastMinute             finishedView                    `json:"last_minute"`
	LastHour               finishedView                    `json:"last_hour"`
	OldestQueuedAgeSeconds *float64                        `json:"oldest_queued_age_seconds"`
	RunTimeSeconds         map[domain.TaskType]runTimeView `json:"run_time_seconds"`
}

type finishedView struct {
	Finished int64 `json:"finished"`
	Failed   int64 `json:"failed"`
}

type runTimeView struct {
	P50    float64 `json:"p50"`
	P95    float64 `json:"p95"`
	Sample int     `json:"sample"`
}

func seconds(d time.Duration) float64 { return d.Seconds() }

// stats answers GET /stats.
func (s *Server) stats(c *fiber.Ctx) error {
	r, err := s.deps.Stats.Report(c.UserContext())
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newStatsView(r))
}

func newStatsView(r application.TaskStatsReport) statsView {
	v := statsView{GeneratedAt: formatTime(r.At), CountsAt: formatTime(r.CountsAt), ByStatus: r.ByStatus, ByType: r.ByType,
		LastMinute: finishedView(r.LastMinute), LastHour: finishedView(r.LastHour),
		RunTimeSeconds: map[domain.TaskType]runTimeView{}}
	if r.OldestQueuedAge != nil {
		age := seconds(*r.OldestQueuedAge)
		v.OldestQueuedAgeSeconds = &age
	}
	for typ, rt := range r.RunTimes {
		v.RunTimeSeconds[typ] = runTimeView{P50: seconds(rt.P50), P95: seconds(rt.P95), Sample: rt.Sample}
	}
	return v
}
