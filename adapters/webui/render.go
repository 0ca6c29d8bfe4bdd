package webui

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

//go:embed templates/*.html
var templateFS embed.FS

// contentSecurityPolicy allows scripts, styles and connections from this origin only:
// nothing inline, no eval, no frames, no form posts elsewhere.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// pages holds one template set per page, each with the shared layout.
type pages struct {
	byName map[string]*template.Template
}

func parsePages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		p.byName[base] = t
	}
	return p, nil
}

// pageView is what the layout reads; Data is the page's own view.
type pageView struct {
	Title  string
	Page   string // names the page for the script (body data-page) and the nav
	AuthOn bool
	Data   any
}

// securityHeaders go on every page the UI sends.
func securityHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// render executes a page into a buffer first, so a template error never sends half a page.
func (u *UI) render(c *fiber.Ctx, status int, page, title string, data any) error {
	t, ok := u.pages.byName[page]
	if !ok {
		return errors.New("webui: no page " + page)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, pageView{Title: title, Page: page, AuthOn: u.authOn(), Data: data}); err != nil {
		return err
	}
	securityHeaders(c)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

type errorView struct {
	Code    string
	Message string
}

// renderError shows a domain error as a page with the status the API would send.
func (u *UI) renderError(c *fiber.Ctx, err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		u.deps.Log.ErrorContext(c.UserContext(), "ui_page_failed", "path", c.Path(), "error", err.Error())
		return u.render(c, fiber.StatusInternalServerError, "error", "Error",
			errorView{Code: string(domain.CodeInternal), Message: "Something went wrong; the server log has the details."})
	}
	return u.render(c, statusOf(de.Code), "error", "Error", errorView{Code: string(de.Code), Message: de.Message})
}

// statusOf is the HTTP status of the codes a page can meet (the API's table, for pages).
func statusOf(code domain.Code) int {
	switch code {
	case domain.CodeTaskNotFound, domain.CodeArtifactNotFound, domain.CodeScheduleNotFound:
		return fiber.StatusNotFound
	case domain.CodeInvalidRequest:
		return fiber.StatusBadRequest
	case domain.CodeInvalidParams:
		return fiber.StatusUnprocessableEntity
	case domain.CodeUnavailable:
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}

// sendJSONError answers a data request with the API's error body.
func sendJSONError(c *fiber.Ctx, status int, code, msg string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": msg, "details": details}})
}

// pageContext bounds a page's service calls.
func (u *UI) pageContext(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), u.cfg.RequestTimeout)
}

var templateFuncs = template.FuncMap{
	"when": func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return "—"
		}
		return t.UTC().Format(time.RFC3339)
	},
	"whenv": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"shortid": func(id string) string {
		if len(id) > 8 {
			return id[:8]
		}
		return id
	},
	"bytes": humanBytes,
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := "KMGT"
	f, i := float64(n)/unit, 0
	for f >= unit && i < len(units)-1 {
		f /= unit
		i++
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + string(units[i]) + "iB"
}
