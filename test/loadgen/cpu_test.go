package main

import (
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

func TestPerTask(t *testing.T) {
	got := perTask(cpuSample{"api": 1, "loadgen": 2}, cpuSample{"api": 1.5, "loadgen": 2.25}, 1000)
	require.Equal(t, map[string]float64{"api": 500, "loadgen": 250, "total": 750}, got)
	require.Nil(t, perTask(nil, cpuSample{"api": 1}, 10))
}
