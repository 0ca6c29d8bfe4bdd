package bootstrap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// The whole of what a failed start prints: one line with the setting and the network
// error, none of the layers between, and no fx error lines in the log before it.
func TestStartupFailureIsTheSettingAndTheCause(t *testing.T) {
	t.Parallel()
	c := unreachableServices(t, testConfig(t, ModeServices))
	var logs bytes.Buffer
	err := Serve(t.Context(), c, RoleAPI, &logs)
	require.Error(t, err)
	require.Regexp(t, regexp.MustCompile(`^start-up failed: PostgreSQL \(DATABASE_URL\): dial tcp 127\.0\.0\.1:\d+: connect: connection refused$`), err.Error())
	require.NotContains(t, logs.String(), `"level":"ERROR"`, "fx's own error lines only repeat the returned error")
}

func TestStartupFailureMessages(t *testing.T) {
	t.Parallel()
	schema := errors.New("schema version 7 is behind 10: run `taskrunner migrate up`")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"a sentinel under a message keeps the message",
			&serviceError{"PostgreSQL (DATABASE_URL)", fmt.Errorf("schema check: %w", fmt.Errorf("no schema table: %w", domain.ErrUnavailable))},
			"start-up failed: PostgreSQL (DATABASE_URL): no schema table: backing service unavailable"},
		{"domain.Unavailable reads as its cause",
			&serviceError{"Redis (REDIS_URL)", domain.Unavailable("queue", schema)},
			"start-up failed: Redis (REDIS_URL): " + schema.Error()},
		{"a deadline is said in words",
			&serviceError{"MinIO (MINIO_ENDPOINT)", fmt.Errorf("bucket: %w", context.DeadlineExceeded)},
			"start-up failed: MinIO (MINIO_ENDPOINT): no answer within 20s"},
		{"a configuration error stays on one line",
			fmt.Errorf("invalid configuration: %w", errors.Join(errors.New("LOG_LEVEL must be ..."), errors.New("HTTP_ADDR must be host:port"))),
			"start-up failed: invalid configuration: LOG_LEVEL must be ...; HTTP_ADDR must be host:port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.EqualError(t, startupFailure(tc.err), tc.want)
		})
	}
}

func TestSettingNamesAreWhatLoadReads(t *testing.T) {
	t.Parallel()
	names := SettingNames()
	require.Contains(t, names, "DATABASE_URL")
	require.Contains(t, names, "API_TOKENS")
	require.IsIncreasing(t, names)
}
