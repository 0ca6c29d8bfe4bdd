package httpapi

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// maxFilterValues caps the comma-separated values of one filter (there are only so many
// statuses and types; more is a malformed request).
const maxFilterValues = 32

// eventFilter reads GET /events' filters. type and status take comma-separated values;
// an unknown one is a 400 naming the parameter, as on GET /tasks.
func eventFilter(c *fiber.Ctx) (application.EventFilter, error) {
	f := application.EventFilter{TaskID: c.Query("task_id"), ParentID: c.Query("parent_id")}
	types, err := splitValues("type", c.Query("type"))
	if err != nil {
		return f, err
	}
	for _, v := range types {
		if !slices.Contains(domain.KnownTaskTypes, domain.TaskType(v)) {
			return f, domain.InvalidRequest("type", "unknown task type %q", v)
		}
		f.Types = append(f.Types, domain.TaskType(v))
	}
	statuses, err := splitValues("status", c.Query("status"))
	if err != nil {
		return f, err
	}
	for _, v := range statuses {
		if !domain.Status(v).Valid() {
			return f, domain.InvalidRequest("status", "unknown status %q", v)
		}
		f.Statuses = append(f.Statuses, domain.Status(v))
	}
	return f, nil
}

func splitValues(field, raw string) ([]string, error) {
	if raw == "" {
		return nil, nil
	}
	parts := strings.Split(raw, ",")
	if len(parts) > maxFilterValues {
		return nil, domain.InvalidRequest(field, "%s takes at most %d values", field, maxFilterValues)
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts, nil
}

// waitParam reads GET /tasks/{id}'s wait: seconds, integer or decimal, 0..60; absent is
// 0 (answer at once).
func waitParam(c *fiber.Ctx) (time.Duration, error) {
	raw := c.Query("wait")
	if raw == "" {
		return 0, nil
	}
	max := application.MaxTaskWait.Seconds()
	secs, err := strconv.ParseFloat(raw, 64)
	if err != nil || !plainDecimal(raw) {
		return 0, domain.InvalidParams("wait", "wait must be a number of seconds from 0 to %g, got %q", max, raw)
	}
	if secs < 0 || secs > max {
		return 0, domain.InvalidParams("wait", "wait must be from 0 to %g seconds, got %s", max, raw)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// plainDecimal accepts "5", "0.5", "2.25": no sign, exponent, hex or infinity, which
// ParseFloat would otherwise take.
func plainDecimal(s string) bool {
	digits, frac, dot := strings.Cut(s, ".")
	isDigits := func(v string) bool {
		return v != "" && strings.Trim(v, "0123456789") == ""
	}
	return isDigits(digits) && (!dot || isDigits(frac))
}
