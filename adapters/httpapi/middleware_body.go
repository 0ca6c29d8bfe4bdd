package httpapi

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// prefetchBytes is how much of a body fasthttp reads along with the request head before
// any handler runs (at most; never more than the body limit).
const prefetchBytes = 8 << 10

// readBody reads the request body, bounded by BodyLimitBytes, for the handler after it.
// Bodies are streamed (see New), so it runs after authentication and any gates before it:
// a request refused there never has its body read. A declared Content-Length over the
// limit is refused before a byte of the body is read; a chunked body is read up to one
// byte past the limit and refused there. Either way the answer is 413
// artifact_size_exceeded, and for an artifact upload the artifact service logs
// artifact_rejected.
func (s *Server) readBody(c *fiber.Ctx) error {
	limit := s.cfg.BodyLimitBytes
	if n := c.Request().Header.ContentLength(); n > limit {
		return s.bodyTooLarge(c, int64(n), false)
	}
	stream := c.Context().RequestBodyStream()
	if stream == nil { // no body at all, or one already in memory
		return c.Next()
	}
	body, err := io.ReadAll(io.LimitReader(stream, int64(limit)+1))
	if err != nil {
		c.Context().SetConnectionClose()
		return domain.InvalidRequest("", "the request body could not be read: %v", err)
	}
	if len(body) > limit {
		return s.bodyTooLarge(c, int64(len(body)), true)
	}
	c.Request().SetBodyRaw(body) // also releases the stream: nothing is left to settle
	return c.Next()
}

// bodyTooLarge refuses a body over the limit: size is the declared length, or with partial
// how much was read before the limit was passed.
func (s *Server) bodyTooLarge(c *fiber.Ctx, size int64, partial bool) error {
	limit := int64(s.cfg.BodyLimitBytes)
	if c.Locals(uploadKey) != nil {
		return s.deps.Artifacts.RejectUploadBody(c.UserContext(), size, limit, partial)
	}
	return domain.NewError(domain.CodeArtifactSizeExceeded, "request body is larger than the limit of %d bytes", limit).
		WithDetail("limit_bytes", limit)
}

// gateUpload runs before an artifact upload's body is read: it counts the upload against
// the client's rate limit and marks the request as an upload, so a body over the limit is
// logged as a rejected artifact.
func (s *Server) gateUpload(c *fiber.Ctx) error {
	c.Locals(uploadKey, true)
	if err := s.deps.Artifacts.AllowUpload(c.UserContext(), s.clientID(c)); err != nil {
		return err
	}
	return c.Next()
}

// settleBody is the outermost middleware. When the request's body was not read (refused
// before reading, or a route that takes none), a body that fasthttp already holds whole
// (it came with the head) is dropped and the connection carries on. Any other is not read
// at all, nor waited for: the connection is closed after the response, gracefully
// (lingerConn), so the client still gets the answer.
func (s *Server) settleBody(c *fiber.Ctx) error {
	err := c.Next()
	stream := c.Context().RequestBodyStream()
	if stream == nil {
		return err
	}
	if n := c.Request().Header.ContentLength(); n >= 0 && n <= min(prefetchBytes, s.cfg.BodyLimitBytes) {
		if _, derr := io.Copy(io.Discard, stream); derr == nil { // from memory: no wait
			return err
		}
	}
	c.Context().SetConnectionClose()
	if lc, ok := c.Context().Conn().(*lingerConn); ok {
		lc.lingerOnClose()
	}
	return err
}
