package webui

import (
	"embed"
	"io/fs"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

//go:embed static
var staticFS embed.FS

//go:embed docsassets
var docsFS embed.FS

// docsPolicy is the CSP of /docs. Swagger UI sets style attributes from its script, so
// styles may be inline there; scripts still come from this origin only.
const docsPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// assetSet is the embedded files by name, read once.
type assetSet struct {
	ui, docs map[string][]byte
}

func loadAssets() assetSet {
	return assetSet{ui: readDir(staticFS, "static"), docs: readDir(docsFS, "docsassets")}
}

func readDir(fsys embed.FS, dir string) map[string][]byte {
	out := map[string][]byte{}
	entries, _ := fs.ReadDir(fsys, dir)
	for _, e := range entries {
		if b, err := fs.ReadFile(fsys, dir+"/"+e.Name()); err == nil {
			out[e.Name()] = b
		}
	}
	return out
}

func sendAsset(c *fiber.Ctx, files map[string][]byte, name string) error {
	b, ok := files[name]
	if !ok {
		return fiber.ErrNotFound
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set("X-Content-Type-Options", "nosniff")
	// Assets change only with the binary; an hour of caching keeps a reload cheap.
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(b)
}

func (u *UI) uiAsset(c *fiber.Ctx) error { return sendAsset(c, u.assets.ui, c.Params("name")) }

func (u *UI) docsAsset(c *fiber.Ctx) error { return sendAsset(c, u.assets.docs, c.Params("name")) }

// docsPage serves Swagger UI over /openapi.json. It is public like the document: it
// holds no data, and with auth on its Authorize button takes the bearer token.
func (u *UI) docsPage(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", docsPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(u.assets.docs["index.html"])
}
