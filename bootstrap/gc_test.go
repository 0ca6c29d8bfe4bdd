package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGCDefaultsLeaveGosOwnSettingsAlone(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	capped := func() (int64, bool) { return 1 << 30, true }
	uncapped := func() (int64, bool) { return 0, false }
	share := 0.7
	limit := int64(float64(1<<30) * share)

	require.Equal(t, gcDefaults{percent: serverGCPercent}, chooseGCDefaults(env(nil), uncapped))
	require.Equal(t, gcDefaults{percent: serverGCPercent, memoryLimit: limit},
		chooseGCDefaults(env(nil), capped))
	require.Equal(t, gcDefaults{memoryLimit: limit},
		chooseGCDefaults(env(map[string]string{"GOGC": "100"}), capped))
	require.Equal(t, gcDefaults{percent: serverGCPercent},
		chooseGCDefaults(env(map[string]string{"GOMEMLIMIT": "512MiB"}), capped))
	require.Equal(t, gcDefaults{}, chooseGCDefaults(env(map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}), capped))
}
