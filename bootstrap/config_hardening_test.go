package bootstrap

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFetchAllowedPorts(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, []string{"80", "443"}, c.Limits.FetchAllowedPorts)
	require.Contains(t, c.LogValue().String(), "fetch_allowed_ports")

	c, err = Load(env(map[string]string{"FETCH_ALLOWED_PORTS": " 80, 0443 ,8080"}))
	require.NoError(t, err)
	require.Equal(t, []string{"80", "443", "8080"}, c.Limits.FetchAllowedPorts)
	c, err = Load(env(map[string]string{"FETCH_ALLOWED_PORTS": "*"}))
	require.NoError(t, err)
	require.Equal(t, []string{"*"}, c.Limits.FetchAllowedPorts)

	for _, bad := range []string{"http", "0", "65536", "80,-1", ","} {
		_, err := Load(env(map[string]string{"FETCH_ALLOWED_PORTS": bad}))
		require.ErrorContains(t, err, "FETCH_ALLOWED_PORTS", bad)
	}
}

func TestMetricsCacheSeconds(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, 5*time.Second, c.MetricsCacheTTL)
	require.Contains(t, c.LogValue().String(), "metrics_cache_seconds")
	c, err = Load(env(map[string]string{"METRICS_CACHE_SECONDS": "0"}))
	require.NoError(t, err)
	require.Zero(t, c.MetricsCacheTTL)
	_, err = Load(env(map[string]string{"METRICS_CACHE_SECONDS": "-1"}))
	require.ErrorContains(t, err, "METRICS_CACHE_SECONDS")
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Empty(t, c.TrustedProxies)

	c, err = Load(env(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7 ,fd00::/8,172.16.5.9/12"}))
	require.NoError(t, err)
	require.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"),
		netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("172.16.0.0/12")}, c.TrustedProxies)
	require.Contains(t, c.LogValue().String(), "10.0.0.0/8")

	for _, bad := range []string{"10.0.0.0/33", "proxy.internal", "10.0.0.0/8,nope"} {
		_, err := Load(env(map[string]string{"TRUSTED_PROXIES": bad}))
		require.ErrorContains(t, err, "TRUSTED_PROXIES", bad)
	}
}

func TestMemoryMaxFinishedTasks(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, 10000, c.MemoryMaxFinishedTasks)
	require.Contains(t, c.LogValue().String(), "memory_max_finished_tasks")
	c, err = Load(env(map[string]string{"MEMORY_MAX_FINISHED_TASKS": "0"}))
	require.NoError(t, err)
	require.Zero(t, c.MemoryMaxFinishedTasks)
	_, err = Load(env(map[string]string{"MEMORY_MAX_FINISHED_TASKS": "many"}))
	require.ErrorContains(t, err, "MEMORY_MAX_FINISHED_TASKS")
}

func TestTaskRetentionDays(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, 30, c.Limits.TaskRetentionDays)
	require.Contains(t, c.LogValue().String(), "task_retention_days")
	for in, want := range map[string]int{"0": 0, "1": 1, "36500": 36500} {
		c, err = Load(env(map[string]string{"TASK_RETENTION_DAYS": in}))
		require.NoError(t, err, in)
		require.Equal(t, want, c.Limits.TaskRetentionDays, in)
	}
	for _, bad := range []string{"-1", "36501", "thirty", "1.5"} {
		_, err = Load(env(map[string]string{"TASK_RETENTION_DAYS": bad}))
		require.ErrorContains(t, err, "TASK_RETENTION_DAYS", bad)
	}
}
