package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestResolveSourcesDefaultsToTheConfiguredDefault(t *testing.T) {
	t.Parallel()
	l := domain.DefaultLimits()
	got, err := domain.ResolveSources(nil, l)
	require.NoError(t, err)
	require.Equal(t, []string{domain.SourceBrave}, got, "no configured default: Brave, as API.md says")

	l.SearchSourceAllowlist = []string{"brave", "exa", "demo"}
	l.SearchDefaultSources = []string{"exa", "demo"}
	got, err = domain.ResolveSources(nil, l)
	require.NoError(t, err)
	require.Equal(t, []string{"demo", "exa"}, got)

	named := []string{"brave"}
	got, err = domain.ResolveSources(&named, l)
	require.NoError(t, err)
	require.Equal(t, []string{"brave"}, got, "named sources win over the default")
}
