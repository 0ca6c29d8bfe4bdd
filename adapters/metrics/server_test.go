package metrics_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/metrics"
)

func TestServerServesTheHandlerAtMetrics(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "scraped") })
	s, err := metrics.NewServer(metrics.ServerConfig{Addr: "127.0.0.1:0", Handler: h})
	require.NoError(t, err)
	require.NoError(t, s.Start(t.Context()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, s.Stop(ctx))
	})
	client := &http.Client{Timeout: 5 * time.Second}

	resp, err := client.Get("http://" + s.Addr() + "/metrics")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "scraped", string(body))

	resp, err = client.Get("http://" + s.Addr() + "/other")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// An address in use fails Start, so it fails the process's start-up.
func TestServerStartFailsOnAnAddressInUse(t *testing.T) {
	t.Parallel()
	h := http.NotFoundHandler()
	first, err := metrics.NewServer(metrics.ServerConfig{Addr: "127.0.0.1:0", Handler: h})
	require.NoError(t, err)
	require.NoError(t, first.Start(t.Context()))
	t.Cleanup(func() { require.NoError(t, first.Stop(context.Background())) })

	second, err := metrics.NewServer(metrics.ServerConfig{Addr: first.Addr(), Handler: h})
	require.NoError(t, err)
	require.ErrorContains(t, second.Start(t.Context()), "address already in use")

	_, err = metrics.NewServer(metrics.ServerConfig{Addr: "127.0.0.1:0"})
	require.Error(t, err, "a handler is required")
}
