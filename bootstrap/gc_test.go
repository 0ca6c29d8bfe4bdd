package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMemoryLimitFollowsTheCgroupCapUnlessGOMEMLIMITIsSet(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	capped := func() (int64, bool) { return 1 << 30, true }
	uncapped := func() (int64, bool) { return 0, false }
	share := 0.7
	limit := int64(float64(1<<30) * share)

	require.Equal(t, int64(0), chooseMemoryLimit(env(nil), uncapped))
	require.Equal(t, limit, chooseMemoryLimit(env(nil), capped))
	require.Equal(t, limit, chooseMemoryLimit(env(map[string]string{"GOGC": "400"}), capped))
	require.Equal(t, int64(0), chooseMemoryLimit(env(map[string]string{"GOMEMLIMIT": "512MiB"}), capped))
}
