package metrics_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/metrics"
)

func TestRetentionCountersAddUp(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	m.RetentionRemoved(3, 5, 1)
	m.RetentionRemoved(2, 0, 4)
	body := scrape(t, m)
	require.Contains(t, body, "taskrunner_retention_tasks_removed_total 5\n")
	require.Contains(t, body, "taskrunner_retention_artifacts_removed_total 5\n")
	require.Contains(t, body, "taskrunner_retention_blobs_removed_total 5\n")
}
