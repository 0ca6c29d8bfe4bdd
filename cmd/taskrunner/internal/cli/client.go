package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// requestTimeout bounds one ordinary request; a long-poll adds its wait on top.
const requestTimeout = 30 * time.Second

// maxBodyBytes caps a JSON answer the CLI reads into memory: a page of 500 tasks with
// large results fits many times over, and a broken server cannot exhaust memory.
const maxBodyBytes = 64 << 20

// client speaks the REST API of one server.
type client struct {
	base  string // e.g. http://127.0.0.1:8000, without a trailing slash
	token string
	http  *http.Client
}

func newClient(server, token string) *client {
	// No client-wide timeout: each request gets its own deadline through its context,
	// and the event stream has none.
	return &client{base: strings.TrimRight(server, "/"), token: token, http: &http.Client{}}
}

// apiError is an error answer of the API: `{"error": {"code", "message"}}`.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// request sends one request, with body encoded as JSON when not nil, and returns the
// answer of a 2xx; any other status becomes an *apiError. The caller closes the body.
func (c *client) request(ctx context.Context, method, path string, body any, accept string) (*http.Response, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return nil, fmt.Errorf("bad server URL %q: %w", c.base, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("cannot reach %s: %w", c.base, unwrapURLError(err))
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, decodeAPIError(resp)
	}
	return resp, nil
}

// call sends a request within requestTimeout and returns the raw JSON answer (nil for
// 204), which callers print as the server wrote it or decode for what they need.
func (c *client) call(ctx context.Context, method, path string, body any) (json.RawMessage, error) {
	return c.callWithin(ctx, requestTimeout, method, path, body)
}

// callWithin is call with its own deadline (a long-poll needs longer than requestTimeout).
func (c *client) callWithin(ctx context.Context, limit time.Duration, method, path string, body any) (json.RawMessage, error) {
	reqCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	resp, err := c.request(reqCtx, method, path, body, "application/json")
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("no answer from %s within %s (%s %s)", c.base, limit, method, path)
		}
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s %s: %w", method, path, err)
	}
	if len(b) > maxBodyBytes {
		return nil, fmt.Errorf("the answer of %s %s is larger than %d MB", method, path, maxBodyBytes>>20)
	}
	if resp.StatusCode == http.StatusNoContent {
		return nil, nil
	}
	if !json.Valid(b) {
		return nil, fmt.Errorf("the answer of %s %s is not JSON: %.80q", method, path, b)
	}
	return b, nil
}

// decodeAPIError reads an error answer; a body that is not the API's error shape (a
// proxy's HTML page) is reported by status with its first line.
func decodeAPIError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var env struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(b, &env) == nil && env.Error != nil && env.Error.Code != "" {
		return &apiError{Status: resp.StatusCode, Code: env.Error.Code, Message: oneLine(env.Error.Message)}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if first == "" {
		first = http.StatusText(resp.StatusCode)
	}
	return &apiError{Status: resp.StatusCode, Code: fmt.Sprintf("http_%d", resp.StatusCode), Message: oneLine(first)}
}

// unwrapURLError drops net/http's `Get "url":` prefix: the caller names the server.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// oneLine keeps an error message on one line, as the CLI prints it.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
