package webui

import (
	"io"
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// maxFormBytes bounds a posted form (the login form holds one token).
const maxFormBytes = 16 << 10

// readForm reads a small urlencoded body, bounded: the server streams request bodies, so
// nothing has read it yet. ok is false when it is larger than maxFormBytes.
func readForm(c *fiber.Ctx) (url.Values, bool) {
	if c.Request().Header.ContentLength() > maxFormBytes {
		return nil, false
	}
	body := c.Body()
	if stream := c.Context().RequestBodyStream(); stream != nil {
		b, err := io.ReadAll(io.LimitReader(stream, maxFormBytes+1))
		if err != nil || len(b) > maxFormBytes {
			return nil, false
		}
		c.Request().SetBodyRaw(b)
		body = b
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, false
	}
	return v, true
}
