package bootstrap

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:8000", c.HTTPAddr)
	require.Equal(t, 600, c.Limits.TaskMaxRuntimeSeconds)
	require.Equal(t, 25, c.Limits.TaskMaxArtifactMB)
	require.Equal(t, 30, c.Limits.TasksPerMinute)
	require.Equal(t, []string{"brave"}, c.Limits.SearchSourceAllowlist)
	require.Equal(t, []string{"*"}, c.Limits.FetchDomainAllowlist)
	require.Equal(t, 50, c.Limits.MaxBatchSize)
	require.Equal(t, 10, c.Limits.SearchMaxResults)
	require.Equal(t, time.Hour, c.SearchCacheTTL)
	require.Equal(t, "https://api.exa.ai/search", c.ExaAPIURL)
	require.True(t, c.LogJSON)
}

func TestLoadNamesEveryBadVariable(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{
		"TASK_MAX_RUNTIME_SECONDS": "-1",
		"TASKS_PER_MINUTE":         "lots",
		"MINIO_SECURE":             "maybe",
		"EXA_API_URL":              "ftp://x",
		"LOG_LEVEL":                "loud",
		"HTTP_ADDR":                "8000",
	}))
	require.Error(t, err)
	for _, name := range []string{"TASK_MAX_RUNTIME_SECONDS", "TASKS_PER_MINUTE", "MINIO_SECURE", "EXA_API_URL", "LOG_LEVEL", "HTTP_ADDR"} {
		require.Contains(t, err.Error(), name)
	}
}

func TestLoadLists(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"SEARCH_SOURCE_ALLOWLIST": " brave, exa ,", "API_TOKENS": "a,b", "TASKS_PER_MINUTE": "0"}))
	require.NoError(t, err)
	require.Equal(t, []string{"brave", "exa"}, c.Limits.SearchSourceAllowlist)
	require.Equal(t, []string{"a", "b"}, c.APITokens)
	require.Equal(t, 0, c.Limits.TasksPerMinute)
}

func TestMemoryModeAddsDemoSource(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, []string{"brave", "demo"}, c.WithMode(ModeMemory).Limits.SearchSourceAllowlist)
	require.Equal(t, []string{"brave"}, c.WithMode(ModeServices).Limits.SearchSourceAllowlist)
	require.Equal(t, []string{"brave"}, c.Limits.SearchSourceAllowlist, "WithMode must not alias the original slice")
}

func TestNormalizeDatabaseURL(t *testing.T) {
	t.Parallel()
	require.Equal(t, "postgresql://api:api@postgres:5432/api", NormalizeDatabaseURL("postgresql+psycopg2://api:api@postgres:5432/api"))
	require.Equal(t, "postgres://x@y/z", NormalizeDatabaseURL("postgres://x@y/z"))
}

func TestLogValueHidesSecrets(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"BRAVE_API_KEY": "sekrit-brave", "API_TOKENS": "sekrit-token", "MINIO_ROOT_PASSWORD": "sekrit-pw"}))
	require.NoError(t, err)
	require.NotContains(t, c.LogValue().String(), "sekrit")
}
