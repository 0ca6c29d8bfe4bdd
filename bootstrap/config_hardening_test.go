package bootstrap

import (
	"testing"

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
