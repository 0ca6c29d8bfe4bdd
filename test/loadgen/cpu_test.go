package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCPUWatch(t *testing.T) {
	w, err := parseCPUWatch("api=12,worker=34", "postgres,redis-server")
	require.NoError(t, err)
	require.Equal(t, map[string]int{"api": 12, "worker": 34}, w.pids)
	require.Equal(t, []string{"postgres", "redis-server"}, w.comms)
	for _, bad := range []string{"api", "api=", "=12", "api=x", "api=-1"} {
		_, err := parseCPUWatch(bad, "")
		require.Error(t, err, bad)
	}
	empty, err := parseCPUWatch("", "")
	require.NoError(t, err)
	_, ok := empty.sample()
	require.False(t, ok, "nothing watched, nothing reported")
}

// A command name may hold spaces and parentheses; the times follow the last ')'.
func TestProcStatReadsTheCommandAndCPUTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stat")
	line := "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 1000 0 0\n"
	require.NoError(t, os.WriteFile(path, []byte(line), 0o600))
	comm, secs, ok := procStat(path)
	require.True(t, ok)
	require.Equal(t, "a (b) c", comm)
	require.InDelta(t, 3.0, secs, 1e-9) // (250 + 50) ticks at 100 per second
}

func TestPerTask(t *testing.T) {
	got := perTask(cpuSample{"api": 1, "loadgen": 2}, cpuSample{"api": 1.5, "loadgen": 2.25}, 1000)
	require.Equal(t, map[string]float64{"api": 500, "loadgen": 250, "total": 750}, got)
	require.Nil(t, perTask(nil, cpuSample{"api": 1}, 10))
}
