package webui

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// pageSize is how many tasks one page of the table shows.
const pageSize = 50

// sinceChoices are the table's time filter: tasks created within that long.
var sinceChoices = []struct{ Value, Label string }{
	{"", "any time"}, {"15m", "last 15 min"}, {"1h", "last hour"}, {"24h", "last 24 h"}, {"168h", "last 7 days"},
}

type tasksView struct {
	Status, Type, Since string
	Statuses            []domain.Status
	Types               []domain.TaskType
	Sinces              []struct{ Value, Label string }
	Tasks               []taskRow
	NextURL             string // the next page, "" on the last
	FirstURL            string // the first page with the same filters, "" when on it
	Error               string
}

type taskRow struct {
	ID, Type, Status, Created, Finished, ErrorCode string
}

func rowOf(t domain.Task) taskRow {
	r := taskRow{ID: t.ID, Type: string(t.Type), Status: string(t.Status), Created: t.CreatedAt.UTC().Format(time.RFC3339)}
	if t.FinishedAt != nil {
		r.Finished = t.FinishedAt.UTC().Format(time.RFC3339)
	}
	if t.Error != nil {
		r.ErrorCode = string(t.Error.Code)
	}
	return r
}

// tasksPage is /ui: the overview (filled in by the script) and the newest tasks, rendered
// here so the page reads without JavaScript.
func (u *UI) tasksPage(c *fiber.Ctx) error {
	v := tasksView{Status: c.Query("status"), Type: c.Query("type"), Since: c.Query("since"),
		Statuses: domain.AllStatuses, Types: domain.KnownTaskTypes, Sinces: sinceChoices}
	since, err := parseSince(v.Since)
	if err != nil {
		return u.renderError(c, err)
	}
	after := c.Query("after")
	if after != "" && !domain.ValidID(after) {
		return u.renderError(c, domain.InvalidRequest("after", "after must be a task id"))
	}
	limit := pageSize
	ctx, cancel := u.pageContext(c)
	defer cancel()
	page, err := u.deps.Tasks.List(ctx, application.ListInput{Status: v.Status, Type: v.Type, Limit: &limit, After: after})
	if err != nil {
		return u.renderError(c, err)
	}
	next := page.NextAfter
	for _, t := range page.Tasks {
		// Tasks come newest first, so the first one older than the filter ends the listing.
		if !since.IsZero() && t.CreatedAt.Before(since) {
			next = ""
			break
		}
		v.Tasks = append(v.Tasks, rowOf(t))
	}
	filters := url.Values{}
	for k, val := range map[string]string{"status": v.Status, "type": v.Type, "since": v.Since} {
		if val != "" {
			filters.Set(k, val)
		}
	}
	if next != "" {
		q := url.Values{}
		for k, vals := range filters {
			q[k] = vals
		}
		q.Set("after", next)
		v.NextURL = "/ui?" + q.Encode()
	}
	if after != "" {
		v.FirstURL = "/ui"
		if len(filters) > 0 {
			v.FirstURL += "?" + filters.Encode()
		}
	}
	return u.render(c, fiber.StatusOK, "tasks", "Dashboard", v)
}

// parseSince turns the time filter into the oldest creation time shown (zero for any).
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, ch := range sinceChoices {
		if ch.Value == s {
			d, _ := time.ParseDuration(s)
			return time.Now().Add(-d), nil
		}
	}
	return time.Time{}, domain.InvalidRequest("since", "since must be one of 15m, 1h, 24h, 168h")
}

// knownTypes are the task types the forms and filters offer: the contract's, and research
// (issue 13), which a server without it refuses with the API's own error.
func knownTypes() []domain.TaskType {
	out := append([]domain.TaskType{}, domain.KnownTaskTypes...)
	for _, t := range out {
		if t == "research" {
			return out
		}
	}
	return append(out, "research")
}
