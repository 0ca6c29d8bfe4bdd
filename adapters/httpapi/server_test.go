package httpapi_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

func TestStartServesAndStopDrains(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.cfg = func(hc *httpapi.Config) { hc.BodyLimitBytes = 1024 } })
	require.Empty(t, r.srv.Addr())
	require.NoError(t, r.srv.Start(t.Context()))
	addr := r.srv.Addr()
	require.NotEmpty(t, addr)
	require.Error(t, r.srv.Start(t.Context()), "a second start is refused")

	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + "/health")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.NotEmpty(t, resp.Header.Get("X-Request-ID"))

	// A body over the limit is refused by Fiber before routing; it still gets the error
	// body and a request id.
	big := strings.NewReader(`{"type":"echo","params":{"pad":"` + strings.Repeat("x", 4096) + `"}}`)
	resp, err = client.Post("http://"+addr+"/tasks", "application/json", big)
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, string(body))
	require.Contains(t, string(body), "artifact_size_exceeded")
	require.NotEmpty(t, resp.Header.Get("X-Request-ID"))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, r.srv.Stop(ctx))
	require.NoError(t, r.srv.Stop(ctx), "stop is idempotent")
	_, err = (&net.Dialer{Timeout: time.Second}).Dial("tcp", addr)
	require.Error(t, err, "the listener is closed")
}

func TestStartFailsOnABusyAddress(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = ln.Close() }()
	r := setup(t, func(c *rigConfig) { c.cfg = func(hc *httpapi.Config) { hc.Addr = ln.Addr().String() } })
	require.Error(t, r.srv.Start(t.Context()))
	require.NoError(t, r.srv.Stop(t.Context()))
}

func TestNewRejectsMissingDependencies(t *testing.T) {
	t.Parallel()
	_, err := httpapi.New(httpapi.Deps{}, httpapi.Config{})
	require.Error(t, err)
}

// A connection that never sends a request must not hold a graceful stop until its deadline
// (fasthttp waits for connections to go idle, and a fresh one never does by itself).
func TestStopIsNotHeldBySilentConnections(t *testing.T) {
	t.Parallel()
	r := setup(t)
	require.NoError(t, r.srv.Start(t.Context()))
	silent, err := net.Dial("tcp", r.srv.Addr())
	require.NoError(t, err)
	defer func() { _ = silent.Close() }()
	// Let the server accept it, so it is tracked as a fresh connection.
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + r.srv.Addr() + "/health")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	client.CloseIdleConnections()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, r.srv.Stop(ctx), "stop waited for a connection that never sent a request")
	_ = silent.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = silent.Read(make([]byte, 1))
	require.Error(t, err, "the silent connection was closed")
}
