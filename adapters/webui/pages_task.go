package webui

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// maxChildrenShown bounds the children listed on a task page (research fetches at most 20
// pages per query; a parent with more links to the filtered table).
const maxChildrenShown = 200

type taskView struct {
	Task                          domain.Task
	Final, Cancellable, Retryable bool
	Params, Result                string // pretty-printed JSON, "" when absent
	Artifacts                     []domain.Artifact
	Children                      []taskRow
	ChildrenMore                  bool
}

// taskPage shows one task: what it was asked, what it answered, its artifacts and
// children. The attempts timeline, progress and live status come from the script.
func (u *UI) taskPage(c *fiber.Ctx) error {
	ctx, cancel := u.pageContext(c)
	defer cancel()
	t, err := u.deps.Tasks.Get(ctx, c.Params("id"))
	if err != nil {
		return u.renderError(c, err)
	}
	arts, err := u.deps.Artifacts.ListByTask(ctx, t.ID)
	if err != nil {
		return u.renderError(c, err)
	}
	limit := maxChildrenShown
	kids, err := u.deps.Tasks.List(ctx, application.ListInput{ParentID: t.ID, Limit: &limit})
	if err != nil {
		return u.renderError(c, err)
	}
	v := taskView{Task: t, Final: t.Status.Terminal(), Artifacts: arts,
		Cancellable: !t.Status.Terminal() && !t.CancelRequested,
		Retryable:   t.Status == domain.StatusFailed || t.Status == domain.StatusCancelled,
		Params:      prettyJSON(t.Params), Result: prettyJSON(t.Result), ChildrenMore: kids.NextAfter != ""}
	for _, k := range kids.Tasks {
		v.Children = append(v.Children, rowOf(k))
	}
	return u.render(c, fiber.StatusOK, "task", "Task "+t.ID, v)
}

// prettyJSON indents a JSON document for reading; "" for none, the text as it is when it
// is not JSON.
func prettyJSON(raw []byte) string {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return unescapeHTMLEscapes(buf.String())
}

// unescapeHTMLEscapes turns the \u003c, \u003e and \u0026 that Go's JSON encoder writes
// for <, > and & back into the characters, so a reader sees the text that was sent (the
// template escapes it for HTML). Other escapes, and escaped backslashes, stay as they are.
func unescapeHTMLEscapes(s string) string {
	if !strings.Contains(s, `\u00`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == 'u' && i+6 <= len(s) {
			switch s[i+2 : i+6] {
			case "003c":
				b.WriteByte('<')
				i += 5
				continue
			case "003e":
				b.WriteByte('>')
				i += 5
				continue
			case "0026":
				b.WriteByte('&')
				i += 5
				continue
			}
		}
		b.WriteString(s[i : i+2])
		i++
	}
	return b.String()
}
