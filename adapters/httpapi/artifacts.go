package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// createArtifactRequest is the body of POST /artifacts.
type createArtifactRequest struct {
	TaskID      *string         `json:"task_id"`
	Type        *string         `json:"type"`
	ContentType *string         `json:"content_type"`
	DataBase64  *string         `json:"data_base64"`
	Metadata    json.RawMessage `json:"metadata"`
}

func (s *Server) createArtifact(c *fiber.Ctx) error {
	var req createArtifactRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	if req.DataBase64 == nil {
		return domain.InvalidParams("data_base64", "data_base64 is required")
	}
	data, err := decodeBase64(*req.DataBase64)
	if err != nil {
		return domain.InvalidRequest("data_base64", "data_base64 is not valid base64: %v", err)
	}
	a, err := s.deps.Artifacts.Create(c.UserContext(), application.NewArtifact{
		TaskID: deref(req.TaskID), Type: deref(req.Type), ContentType: deref(req.ContentType),
		Data: data, Metadata: req.Metadata,
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/artifacts/"+a.ID+"/meta")
	return writeJSON(c, http.StatusCreated, newArtifactView(a))
}

// decodeBase64 accepts standard base64 with or without padding (clients differ).
func decodeBase64(s string) ([]byte, error) {
	if len(s)%4 != 0 {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return base64.StdEncoding.DecodeString(s)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) getArtifactMeta(c *fiber.Ctx) error {
	a, err := s.deps.Artifacts.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newArtifactView(a))
}

// downloadArtifact streams an artifact's bytes: 200 whole, 206 for one satisfiable byte
// range, 416 for an unsatisfiable one, 304 when If-None-Match names the ETag (the
// quoted sha256, strong: the bytes behind an id never change). Multi-range requests get
// the whole artifact (200), which RFC 9110 allows.
func (s *Server) downloadArtifact(c *fiber.Ctx) error {
	a, err := s.deps.Artifacts.Get(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	etag := `"` + a.SHA256 + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	if etagListMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(http.StatusNotModified)
	}

	var rng *domain.ByteRange
	status := http.StatusOK
	if ifRangeAllows(c.Get(fiber.HeaderIfRange), etag) {
		r, kind := parseRange(c.Get(fiber.HeaderRange), a.SizeBytes)
		switch kind {
		case rangeUnsatisfiable:
			c.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(a.SizeBytes, 10))
			return domain.NewError(codeRangeNotSatisfiable, "range %q is not satisfiable for %d bytes",
				c.Get(fiber.HeaderRange), a.SizeBytes).WithDetail("size_bytes", a.SizeBytes)
		case rangeOne:
			rng, status = &r, http.StatusPartialContent
			c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(r.Start, 10)+"-"+
				strconv.FormatInt(r.End, 10)+"/"+strconv.FormatInt(a.SizeBytes, 10))
		}
	}
	length := a.SizeBytes
	if rng != nil {
		length = rng.Len()
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	// The bytes are user-supplied (fetched HTML among them): never let a browser sniff or
	// run them in the API's origin.
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox")
	c.Status(status)
	if c.Method() == fiber.MethodHead {
		c.Response().Header.SetContentLength(int(length))
		return nil
	}

	// The stream is read after this handler returns, so it gets its own deadline instead
	// of the request's (which ends with the handler); closing it releases the context.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), s.cfg.DownloadTimeout)
	_, rc, err := s.deps.Artifacts.Open(ctx, a.ID, rng)
	if err != nil {
		cancel()
		return err
	}
	return c.SendStream(&cancelOnClose{ReadCloser: rc, cancel: cancel}, int(length))
}

// cancelOnClose releases the download's context when the server closes the stream.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (r *cancelOnClose) Close() error {
	err := r.ReadCloser.Close()
	r.cancel()
	return err
}
