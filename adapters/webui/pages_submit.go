package webui

import (
	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

type submitView struct {
	Types      []domain.TaskType
	Sources    []string
	Selected   string
	MaxResults int
	MaxBatch   int
	MaxRuntime int
}

// submitPage has one form per task type; the script posts it to the API as the task
// request and opens the new task.
func (u *UI) submitPage(c *fiber.Ctx) error {
	l := u.cfg.Limits
	v := submitView{Types: knownTypes(), Sources: l.SearchSourceAllowlist, Selected: c.Query("type", "echo"),
		MaxResults: l.SearchMaxResults, MaxBatch: l.MaxBatchSize, MaxRuntime: l.TaskMaxRuntimeSeconds}
	return u.render(c, fiber.StatusOK, "submit", "Submit a task", v)
}
