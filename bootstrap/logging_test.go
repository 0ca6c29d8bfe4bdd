package bootstrap

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoggerWritesJSONEventsWithoutSecrets(t *testing.T) {
	t.Parallel()
	c, err := Load(func(k string) string {
		return map[string]string{"BRAVE_API_KEY": "sekrit-key", "API_TOKENS": "sekrit-token"}[k]
	})
	require.NoError(t, err)
	var buf bytes.Buffer
	NewLogger(c, &buf).With("role", "dev").InfoContext(context.Background(), "taskrunner_starting", "config", c)
	var line map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line), buf.String())
	require.Equal(t, "taskrunner_starting", line["msg"])
	require.False(t, strings.Contains(buf.String(), "sekrit"), buf.String())
}
