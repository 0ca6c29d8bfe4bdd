package e2e

import (
	"encoding/base64"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/minio"
	"taskrunner/bootstrap"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/apptest"
	"taskrunner/test/logcapture"
)

// shiftedClock is the real clock moved forward by a shift the test sets, so that tasks
// finished a moment ago can be made 31 days old without waiting a month.
type shiftedClock struct{ shift atomic.Int64 }

func (c *shiftedClock) Now() time.Time { return time.Now().UTC().Add(time.Duration(c.shift.Load())) }

func (c *shiftedClock) advance(d time.Duration) { c.shift.Add(int64(d)) }

// retentionStack is a stack whose processes read clock, with a look into its blob store.
type retentionStack struct {
	*stack
	clock      *shiftedClock
	blobExists func(t *testing.T, sum string) bool
}

// retentionConfig keeps the default TASK_RETENTION_DAYS (30) and passes often.
func retentionConfig(c *bootstrap.Config) {
	c.Limits.TaskRetentionDays = domain.DefaultTaskRetentionDays
	c.RetentionInterval = 100 * time.Millisecond
}

func startRetentionMemory(t *testing.T) retentionStack {
	t.Helper()
	clock := &shiftedClock{}
	c := apptest.Config(t, bootstrap.ModeMemory)
	retentionConfig(&c)
	logs := &logcapture.Buffer{}
	var blobs *memory.BlobStore
	api := apptest.StartAPI(t, c, bootstrap.RoleAll, logs,
		fx.Decorate(func(ports.Clock) ports.Clock { return clock }), fx.Populate(&blobs))
	return retentionStack{
		stack: &stack{Client: api, logs: logs, source: "demo", noKeySource: "brave"}, clock: clock,
		blobExists: func(t *testing.T, sum string) bool {
			ok, err := blobs.Exists(t.Context(), domain.BlobKey(sum))
			require.NoError(t, err)
			return ok
		},
	}
}

// startRetentionServices runs an api and a worker over PostgreSQL, Redis and the harness's
// S3; the blob store is looked into through a client of the test's own.
func startRetentionServices(t *testing.T) retentionStack {
	t.Helper()
	clock := &shiftedClock{}
	c := servicesConfig(t)
	retentionConfig(&c)
	logs := &logcapture.Buffer{}
	useClock := fx.Decorate(func(ports.Clock) ports.Clock { return clock })
	api := apptest.StartAPI(t, c, bootstrap.RoleAPI, logs, useClock)
	apptest.Start(t, c, bootstrap.RoleWorker, logs, useClock)
	s3, err := minio.New(t.Context(), minio.Config{Endpoint: c.MinIO.Endpoint, AccessKey: c.MinIO.AccessKey,
		SecretKey: c.MinIO.SecretKey, Bucket: c.MinIO.Bucket, Secure: c.MinIO.Secure})
	require.NoError(t, err)
	return retentionStack{
		stack: &stack{Client: api, logs: logs, source: "brave", noKeySource: "exa"}, clock: clock,
		blobExists: func(t *testing.T, sum string) bool {
			ok, err := s3.Exists(t.Context(), domain.BlobKey(sum))
			require.NoError(t, err)
			return ok
		},
	}
}

// upload stores data as an artifact of taskID and returns its id and sha256.
func (s retentionStack) upload(t *testing.T, taskID, data string) (id, sum string) {
	t.Helper()
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", map[string]any{"task_id": taskID, "type": "log",
		"content_type": "text/plain", "data_base64": base64.StdEncoding.EncodeToString([]byte(data))})
	require.Equal(t, http.StatusCreated, code, string(b))
	meta := decode[map[string]any](t, b)
	return meta["id"].(string), meta["sha256"].(string)
}

// eventually polls cond until it holds, or fails after a generous deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s retentionStack) status(t *testing.T, path string) int {
	t.Helper()
	code, _, _ := s.Call(t, http.MethodGet, path, nil)
	return code
}

// flowRetention: a task older than TASK_RETENTION_DAYS goes with its artifacts; the blob
// it shares with a younger task's artifact stays until that one goes too.
func flowRetention(t *testing.T, s retentionStack) {
	code, b, _ := s.Call(t, http.MethodGet, "/limits", nil)
	require.Equal(t, http.StatusOK, code)
	require.EqualValues(t, 30, decode[map[string]any](t, b)["task_retention_days"])

	old := s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"n": 1}}).ID, "succeeded")
	oldShared, sharedSum := s.upload(t, old.ID, "bytes both tasks keep")
	oldOnly, oldOnlySum := s.upload(t, old.ID, "bytes only the old task keeps")

	s.clock.advance(10 * 24 * time.Hour)
	younger := s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"n": 2}}).ID, "succeeded")
	youngerShared, sum := s.upload(t, younger.ID, "bytes both tasks keep")
	require.Equal(t, sharedSum, sum)

	s.clock.advance(21 * 24 * time.Hour) // the old task is 31 days old, the younger one 21
	eventually(t, "the old task is deleted", func() bool { return s.status(t, "/tasks/"+old.ID) == http.StatusNotFound })
	require.Equal(t, http.StatusNotFound, s.status(t, "/artifacts/"+oldShared+"/meta"))
	require.Equal(t, http.StatusNotFound, s.status(t, "/artifacts/"+oldOnly+"/meta"))
	eventually(t, "the old task's own blob is deleted", func() bool { return !s.blobExists(t, oldOnlySum) })
	require.True(t, s.blobExists(t, sharedSum), "the shared blob stays while the younger artifact uses it")
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+youngerShared, nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "bytes both tasks keep", string(b))
	require.Equal(t, http.StatusOK, s.status(t, "/tasks/"+younger.ID))

	s.clock.advance(10 * 24 * time.Hour)
	eventually(t, "the younger task is deleted", func() bool { return s.status(t, "/tasks/"+younger.ID) == http.StatusNotFound })
	eventually(t, "the shared blob goes with its last artifact", func() bool { return !s.blobExists(t, sharedSum) })
	require.NotEmpty(t, s.logs.Events("retention_pass"))
}

func TestRetentionMemory(t *testing.T) {
	t.Parallel()
	s := startRetentionMemory(t)
	flowRetention(t, s)
	// Memory mode runs retention in the process that serves /metrics.
	code, b, _ := s.Call(t, http.MethodGet, "/metrics", nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, string(b), "taskrunner_retention_tasks_removed_total 2\n")
	require.Contains(t, string(b), "taskrunner_retention_artifacts_removed_total 3\n")
	require.Contains(t, string(b), "taskrunner_retention_blobs_removed_total 2\n")
}

func TestRetentionServices(t *testing.T) {
	t.Parallel()
	flowRetention(t, startRetentionServices(t))
}
