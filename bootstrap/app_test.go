package bootstrap

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
)

// TestGraphsAreComplete checks every mode and role wires without starting anything.
func TestGraphsAreComplete(t *testing.T) {
	t.Parallel()
	base, err := Load(func(string) string { return "" })
	require.NoError(t, err)
	for _, mode := range []Mode{ModeMemory, ModeServices} {
		for _, role := range []Role{RoleAll, RoleAPI, RoleWorker} {
			c := base.WithMode(mode)
			t.Run(string(mode)+"/"+role.String(), func(t *testing.T) {
				t.Parallel()
				require.NoError(t, fx.ValidateApp(appOptions(c, role, io.Discard)...))
			})
		}
	}
}
