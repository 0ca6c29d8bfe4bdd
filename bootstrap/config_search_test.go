package bootstrap

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/test/logcapture"
)

func TestSearchSourceAllowlistRefusesNamesThatAreNoSource(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"SEARCH_SOURCE_ALLOWLIST": "brave,google"}))
	require.ErrorContains(t, err, `SEARCH_SOURCE_ALLOWLIST names "google", which is no search source; known sources: brave, exa, demo`)

	c, err := Load(env(map[string]string{"SEARCH_SOURCE_ALLOWLIST": "Brave,exa,demo"}))
	require.NoError(t, err, "every known source, in any case, demo included")
	require.Equal(t, []string{"Brave", "exa", "demo"}, c.Limits.SearchSourceAllowlist)
}

func TestDefaultSearchSourcesAreTheAllowedOnesThatCanAnswer(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		env  map[string]string
		mode Mode
		want []string
	}{
		"memory, no keys: demo":           {nil, ModeMemory, []string{"demo"}},
		"memory, Brave key: Brave":        {map[string]string{"BRAVE_API_KEY": "k"}, ModeMemory, []string{"brave"}},
		"services, Brave key: Brave":      {map[string]string{"BRAVE_API_KEY": "k"}, ModeServices, []string{"brave"}},
		"services, no keys: the default":  {nil, ModeServices, nil},
		"services, Exa key, both allowed": {map[string]string{"EXA_API_KEY": "k", "SEARCH_SOURCE_ALLOWLIST": "brave,exa"}, ModeServices, []string{"exa"}},
		"Exa key, Exa not allowed":        {map[string]string{"EXA_API_KEY": "k"}, ModeServices, nil},
		"memory, Exa key: Exa, not demo":  {map[string]string{"EXA_API_KEY": "k", "SEARCH_SOURCE_ALLOWLIST": "exa"}, ModeMemory, []string{"exa"}},
		"services, demo allowed: not it":  {map[string]string{"SEARCH_SOURCE_ALLOWLIST": "demo"}, ModeServices, nil},
	} {
		c, err := Load(env(tc.env))
		require.NoError(t, err, name)
		require.Equal(t, tc.want, c.WithMode(tc.mode).Limits.SearchDefaultSources, name)
	}
}

func TestDemoInServicesModeIsAcceptedWithAWarning(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"SEARCH_SOURCE_ALLOWLIST": "brave,demo"}))
	require.NoError(t, err)
	logs := &logcapture.Buffer{}
	warnSearchSources(slog.New(slog.NewJSONHandler(logs, nil)), c.WithMode(ModeServices))
	events := logs.Events("search_source_unavailable")
	require.Len(t, events, 1)
	require.Equal(t, "demo", events[0]["source"])
	require.Equal(t, "WARN", events[0]["level"])

	quiet := &logcapture.Buffer{}
	warnSearchSources(slog.New(slog.NewJSONHandler(quiet, nil)), c.WithMode(ModeMemory))
	require.Empty(t, quiet.Events("search_source_unavailable"), "memory mode answers with demo")
}
