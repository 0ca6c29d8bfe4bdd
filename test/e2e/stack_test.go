package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
	"taskrunner/test/harness"
	"taskrunner/test/logcapture"
	"taskrunner/test/providertest"
)

// stack is a running taskrunner reached over real HTTP, every exchange checked against
// the OpenAPI document.
type stack struct {
	*apptest.Client
	logs *logcapture.Buffer
	// source is a search source that answers in this stack (memory: the offline demo;
	// services: a fake Brave server); noKeySource is an allowed source without a key.
	source, noKeySource string
}

// starter starts a stack whose config the test may adjust.
type starter func(t *testing.T, adjust func(*bootstrap.Config)) *stack

// startMemory runs `taskrunner dev` in memory mode, in-process.
func startMemory(t *testing.T, adjust func(*bootstrap.Config)) *stack {
	t.Helper()
	c := apptest.Config(t, bootstrap.ModeMemory)
	if adjust != nil {
		adjust(&c)
	}
	logs := &logcapture.Buffer{}
	return &stack{Client: apptest.StartAPI(t, c, bootstrap.RoleAll, logs), logs: logs, source: "demo", noKeySource: "brave"}
}

// servicesConfig is the test config of services mode over a database, key prefix and
// bucket of the test's own.
func servicesConfig(t *testing.T) bootstrap.Config {
	t.Helper()
	c := apptest.Config(t, bootstrap.ModeServices)
	apptest.UseServices(t, &c, harness.Postgres(t), harness.Redis(t))
	return c
}

// startServices runs an api app and a worker app, separately, over PostgreSQL, Redis and
// S3 from the harness, with a fake Brave as the search source that answers.
func startServices(t *testing.T, adjust func(*bootstrap.Config)) *stack {
	t.Helper()
	c := servicesConfig(t)
	c.BraveAPIKey = "e2e-brave-key"
	c.BraveAPIURL = providertest.New(t, providertest.Brave(c.BraveAPIKey),
		providertest.Reply{Status: http.StatusOK, Fixture: "brave_web_ok.json"}).Endpoint()
	if adjust != nil {
		adjust(&c)
	}
	logs := &logcapture.Buffer{}
	api := apptest.StartAPI(t, c, bootstrap.RoleAPI, logs)
	apptest.Start(t, c, bootstrap.RoleWorker, logs)
	return &stack{Client: api, logs: logs, source: "brave", noKeySource: "exa"}
}

// task is the JSON of a task, as the tests read it.
type task struct {
	ID             string          `json:"id"`
	Type           string          `json:"type"`
	Status         string          `json:"status"`
	Params         json.RawMessage `json:"params"`
	Result         json.RawMessage `json:"result"`
	Error          *struct{ Code, Message string }
	Attempts       int        `json:"attempts"`
	MaxRetries     int        `json:"max_retries"`
	TimeoutSeconds int        `json:"timeout_seconds"`
	CreatedAt      time.Time  `json:"created_at"`
	FinishedAt     *time.Time `json:"finished_at"`
	Progress       *progress  `json:"progress"`
}

type progress struct {
	Done    int64  `json:"done"`
	Total   int64  `json:"total"`
	Message string `json:"message"`
}

type apiError struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v), string(b))
	return v
}

// submit posts to path (a task route) and expects 202.
func (s *stack) submit(t *testing.T, path string, body any) task {
	t.Helper()
	code, b, _ := s.Call(t, http.MethodPost, path, body)
	require.Equal(t, http.StatusAccepted, code, string(b))
	return decode[task](t, b)
}

// wait polls the task until it is in one of the statuses.
func (s *stack) wait(t *testing.T, id string, statuses ...string) task {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+id, nil)
		require.Equal(t, http.StatusOK, code, string(b))
		tk := decode[task](t, b)
		for _, st := range statuses {
			if tk.Status == st {
				return tk
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s is %s, want one of %v: %s", id, tk.Status, statuses, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expectError checks an error answer's status, code and (when given) the named field.
func expectError(t *testing.T, code int, body []byte, wantStatus int, wantCode, wantField string) apiError {
	t.Helper()
	require.Equal(t, wantStatus, code, string(body))
	e := decode[apiError](t, body)
	require.Equal(t, wantCode, e.Error.Code, string(body))
	require.NotEmpty(t, e.Error.Message)
	if wantField != "" {
		require.Equal(t, wantField, e.Error.Details["field"], string(body))
	}
	return e
}
