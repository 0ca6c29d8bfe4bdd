package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
)

func TestHealthChecksAreIndexedByName(t *testing.T) {
	t.Parallel()
	q, b := memory.NewQueue(nil), memory.NewBlobStore()
	got, err := newHealthChecks([]namedPinger{{name: "queue", probe: q}, {name: "blobs", probe: b}})
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Same(t, q, got["queue"])

	_, err = newHealthChecks([]namedPinger{{name: "queue", probe: q}, {name: "queue", probe: b}})
	require.ErrorContains(t, err, `two health checks named "queue"`)
}
