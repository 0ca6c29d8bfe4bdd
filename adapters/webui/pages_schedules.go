package webui

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// previewRuns is how many due times the create form shows.
const previewRuns = 5

type schedulesView struct {
	Schedules []scheduleRow
	Types     []domain.TaskType
}

type scheduleRow struct {
	S        domain.Schedule
	TaskType string
	Task     string // the task request, pretty-printed
}

func (u *UI) schedulesPage(c *fiber.Ctx) error {
	ctx, cancel := u.pageContext(c)
	defer cancel()
	list, err := u.deps.Schedules.List(ctx)
	if err != nil {
		return u.renderError(c, err)
	}
	v := schedulesView{Types: knownTypes()}
	for _, s := range list {
		var head struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(s.Task, &head) // stored tasks were validated; a miss shows no type
		v.Schedules = append(v.Schedules, scheduleRow{S: s, TaskType: head.Type, Task: prettyJSON(s.Task)})
	}
	return u.render(c, fiber.StatusOK, "schedules", "Schedules", v)
}

// cronPreview checks a cron expression and timezone as the create form is typed, with the
// same rules and the same 422 body as POST /schedules, and lists the next due times.
func (u *UI) cronPreview(c *fiber.Ctx) error {
	runs, err := u.deps.Schedules.Preview(c.Query("cron"), c.Query("timezone"), previewRuns)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return sendJSONError(c, statusOf(de.Code), string(de.Code), de.Message, de.Details)
		}
		return err
	}
	out := make([]string, 0, len(runs))
	for _, r := range runs {
		out = append(out, r.UTC().Format(time.RFC3339))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"next_runs": out})
}
