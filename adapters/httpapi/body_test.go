package httpapi_test

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

// rawConn is one client connection to the live server, for what net/http hides: a request
// whose body is sent late or never, and the same connection used again.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

func (r *rig) dialRaw() *rawConn {
	r.t.Helper()
	conn, err := net.Dial("tcp", r.live)
	require.NoError(r.t, err)
	r.t.Cleanup(func() { _ = conn.Close() })
	return &rawConn{t: r.t, conn: conn, br: bufio.NewReader(conn)}
}

// send writes raw bytes (a request head, a body or part of one).
func (c *rawConn) send(s string) {
	c.t.Helper()
	_, err := io.WriteString(c.conn, s)
	require.NoError(c.t, err)
}

// head writes a request head; extra are whole header lines.
func (c *rawConn) head(method, path string, extra ...string) {
	c.t.Helper()
	c.send(method + " " + path + " HTTP/1.1\r\nHost: taskrunner\r\nContent-Type: application/json\r\n" +
		strings.Join(append(extra, ""), "\r\n") + "\r\n")
}

// answered is what the tests read of a response, whose body answer has read and closed.
type answered struct {
	StatusCode int
	Close      bool // the server ends the connection after it
}

// answer reads one response; the deadline turns "the server waits for a body that never
// comes" into a failure instead of a hang.
func (c *rawConn) answer() (answered, string) {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	resp, err := http.ReadResponse(c.br, nil)
	require.NoError(c.t, err, "no answer: the server is waiting for the body")
	body, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	require.NoError(c.t, resp.Body.Close())
	return answered{StatusCode: resp.StatusCode, Close: resp.Close}, string(body)
}

// headPrefetch is how much body fasthttp reads along with a request head before any
// handler runs (8 KiB and one byte); the rest of a body is read only when a route asks.
const headPrefetch = 8<<10 + 1

// A request that fails authentication is answered once its head has arrived: the rest of
// the declared body, never sent, is not waited for, let alone read.
func TestAuthIsCheckedBeforeTheBodyIsRead(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.tokens = []string{"tok"} })
	r.goLive()
	for _, path := range []string{"/tasks", "/artifacts", "/search"} {
		c := r.dialRaw()
		c.head("POST", path, "Content-Length: 1000000")
		c.send(strings.Repeat("A", headPrefetch))
		resp, body := c.answer()
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, path)
		require.Contains(t, body, `"unauthorized"`, path)
		require.True(t, resp.Close, "%s: the unread body ends the connection", path)
	}
}

// A declared length over the limit is refused before the body is read; an artifact
// upload refused so is logged as a rejected artifact like any other.
func TestOversizedUploadIsRefusedFromItsHeadAndLogged(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.cfg = func(hc *httpapi.Config) { hc.BodyLimitBytes = 1024 } })
	r.goLive()
	c := r.dialRaw()
	c.head("POST", "/artifacts", "Content-Length: 5000")
	c.send(strings.Repeat("A", 2000)) // never the whole declared body
	resp, body := c.answer()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.Contains(t, body, `"artifact_size_exceeded"`)
	events := r.logs.Events("artifact_rejected")
	require.Len(t, events, 1)
	require.Equal(t, "request_body", events[0]["via"])
	require.EqualValues(t, 5000, events[0]["size_bytes"])
	require.EqualValues(t, 1024, events[0]["limit_bytes"])

	// The same over POST /tasks is a 413 too, but no artifact was refused.
	c = r.dialRaw()
	c.head("POST", "/tasks", "Content-Length: 5000")
	c.send(strings.Repeat("A", 2000))
	resp, _ = c.answer()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.Len(t, r.logs.Events("artifact_rejected"), 1)
}

// A chunked upload has no declared length: it is read up to the limit and refused there,
// and logged.
func TestOversizedChunkedUploadIsRefusedAtTheLimitAndLogged(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.cfg = func(hc *httpapi.Config) { hc.BodyLimitBytes = 1024 } })
	r.goLive()
	c := r.dialRaw()
	c.head("POST", "/artifacts", "Transfer-Encoding: chunked")
	chunk := strings.Repeat("A", 700)
	c.send(fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s\r\n", len(chunk), chunk, len(chunk), chunk)) // 1400 bytes, no end
	resp, body := c.answer()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.Contains(t, body, `"artifact_size_exceeded"`)
	require.True(t, resp.Close)
	events := r.logs.Events("artifact_rejected")
	require.Len(t, events, 1)
	require.Equal(t, true, events[0]["size_partial"])
}

// The client gets the 413 even while it is still sending the refused upload: the server
// closes gracefully instead of resetting the connection under the response.
func TestRefusedUploadStillBeingSentGetsItsAnswer(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.cfg = func(hc *httpapi.Config) { hc.BodyLimitBytes = 1024 } })
	r.goLive()
	for range 5 {
		c := r.dialRaw()
		c.head("POST", "/artifacts", "Content-Length: 3000000")
		go func() { // the rest of the upload, as a client that does not wait would send it
			_, _ = io.WriteString(c.conn, strings.Repeat("A", 3000000))
		}()
		resp, body := c.answer()
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		require.Contains(t, body, `"artifact_size_exceeded"`)
	}
}

// A small body nobody read (a GET with a body, a 401) is read and dropped, so the
// connection carries the next request.
func TestSmallUnreadBodyKeepsTheConnection(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.tokens = []string{"tok"} })
	r.goLive()
	c := r.dialRaw()
	c.head("GET", "/limits", "Authorization: Bearer tok", "Content-Length: 5")
	c.send("hello")
	resp, _ := c.answer()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.False(t, resp.Close)

	c.head("POST", "/tasks", "Content-Length: 15")
	c.send(`{"type":"echo"}`)
	resp, _ = c.answer()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.False(t, resp.Close)

	c.head("POST", "/tasks", "Authorization: Bearer tok", "Content-Length: 15")
	c.send(`{"type":"echo"}`)
	resp, body := c.answer()
	require.Equal(t, http.StatusAccepted, resp.StatusCode, body)
}

// Uploads are counted by the rate limiter, in a bucket apart from task submissions, and a
// client over its limit is refused before its upload is read.
func TestUploadsAreRateLimited(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.limits.TasksPerMinute = 2 })
	r.goLive()
	upload := map[string]any{"type": "log", "content_type": "text/plain", "data_base64": base64.StdEncoding.EncodeToString([]byte("x"))}
	require.Equal(t, http.StatusCreated, r.do("POST", "/artifacts", upload).StatusCode)
	require.Equal(t, http.StatusCreated, r.do("POST", "/artifacts", upload).StatusCode)
	refused := r.do("POST", "/artifacts", upload)
	require.Equal(t, http.StatusTooManyRequests, refused.StatusCode)
	require.Equal(t, "rate_limit_exceeded", refused.errorCode(t))
	require.Regexp(t, `^[1-9][0-9]*$`, refused.Header.Get("Retry-After"))

	require.Equal(t, http.StatusAccepted, r.do("POST", "/tasks", `{"type":"echo"}`).StatusCode,
		"uploads do not use up task submissions")

	c := r.dialRaw()
	c.head("POST", "/artifacts", "Content-Length: 1000000")
	c.send(strings.Repeat("A", headPrefetch))
	resp, _ := c.answer()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "refused before the rest of the body, never sent, is read")
}
