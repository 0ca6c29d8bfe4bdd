package proccpu

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A command name may hold spaces and parentheses; the times follow the last ')'.
func TestReadTakesTheCommandAndCPUTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stat")
	line := "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 1000 0 0\n"
	require.NoError(t, os.WriteFile(path, []byte(line), 0o600))
	comm, cpu, err := Read(path)
	require.NoError(t, err)
	require.Equal(t, "a (b) c", comm)
	require.Equal(t, 3*time.Second, cpu) // (250 + 50) ticks at 100 per second
	_, _, err = Read(filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
}
