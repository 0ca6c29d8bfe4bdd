package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestFetchKey(t *testing.T) {
	t.Parallel()
	a := domain.FetchKey("https://example.com/a", true)
	require.Len(t, a, 64)
	require.Equal(t, a, domain.FetchKey("https://example.com/a", true))
	require.NotEqual(t, a, domain.FetchKey("https://example.com/a", false), "mode is part of the key")
	require.NotEqual(t, a, domain.FetchKey("https://example.com/b", true))
}
