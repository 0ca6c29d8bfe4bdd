package webui

import (
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// maxRenderedBytes bounds what a page renders of an artifact; a larger one is offered as
// a download only.
const maxRenderedBytes = 2 << 20

type artifactView struct {
	Artifact domain.Artifact
	Metadata string
	TooLarge bool
	Body     renderedBody
}

// artifactPage shows an artifact's metadata and its content rendered for reading.
func (u *UI) artifactPage(c *fiber.Ctx) error {
	ctx, cancel := u.pageContext(c)
	defer cancel()
	a, err := u.deps.Artifacts.Get(ctx, c.Params("id"))
	if err != nil {
		return u.renderError(c, err)
	}
	v := artifactView{Artifact: a, Metadata: prettyJSON(a.Metadata), TooLarge: a.SizeBytes > maxRenderedBytes}
	if !v.TooLarge {
		_, data, err := u.deps.Artifacts.ReadAll(ctx, a.ID)
		if err != nil {
			return u.renderError(c, err)
		}
		v.Body = renderBody(a, data)
	}
	return u.render(c, fiber.StatusOK, "artifact", "Artifact "+a.ID, v)
}

// artifactRaw downloads an artifact through the session (a link cannot send the bearer
// token). It is always an attachment, sandboxed, and never sniffed: an HTML artifact
// fetched from some site must not run as a page of ours.
func (u *UI) artifactRaw(c *fiber.Ctx) error {
	ctx, cancel := u.pageContext(c)
	defer cancel()
	a, data, err := u.deps.Artifacts.ReadAll(ctx, c.Params("id"))
	if err != nil {
		return u.renderError(c, err)
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+a.ID+extensionOf(a.ContentType)+`"`)
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}

func extensionOf(contentType string) string {
	base, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(base) {
	case "text/markdown":
		return ".md"
	case "application/json":
		return ".json"
	case "text/plain":
		return ".txt"
	case "text/html":
		return ".html"
	}
	if exts, _ := mime.ExtensionsByType(base); len(exts) > 0 {
		return exts[0]
	}
	return ".bin"
}
