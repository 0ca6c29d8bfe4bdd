package bootstrap

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoadExtractConcurrency(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, runtime.GOMAXPROCS(0), c.ExtractConcurrency, "one extraction per CPU by default")
	require.Contains(t, c.LogValue().String(), "extract_max_concurrent")

	c, err = Load(env(map[string]string{"EXTRACT_MAX_CONCURRENT": "3"}))
	require.NoError(t, err)
	require.Equal(t, 3, c.ExtractConcurrency)

	for _, bad := range []string{"0", "-1", "many", "1025"} {
		_, err = Load(env(map[string]string{"EXTRACT_MAX_CONCURRENT": bad}))
		require.ErrorContains(t, err, "EXTRACT_MAX_CONCURRENT", bad)
	}
}
