package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"

	"taskrunner/adapters/httpapi"
	"taskrunner/bootstrap"
	"taskrunner/test/harness"
	"taskrunner/test/logcapture"
	"taskrunner/test/openapitest"
	"taskrunner/test/providertest"
)

// stack is a running taskrunner reached over real HTTP.
type stack struct {
	base   string
	client *http.Client
	logs   *logcapture.Buffer
	v      *openapitest.V
	token  string
	// source is a search source that answers in this stack (memory: the offline demo;
	// services: a fake Brave server); noKeySource is an allowed source without a key.
	source, noKeySource string
}

// starter starts a stack whose config the test may adjust.
type starter func(t *testing.T, adjust func(*bootstrap.Config)) *stack

func testConfig(t *testing.T, mode bootstrap.Mode) bootstrap.Config {
	t.Helper()
	c, err := bootstrap.Load(func(string) string { return "" })
	require.NoError(t, err)
	c = c.WithMode(mode)
	c.Limits.SearchSourceAllowlist = []string{"brave", "exa", "demo"}
	c.HTTPAddr = "127.0.0.1:0"
	c.Limits.TasksPerMinute = 0
	c.WorkerConcurrency = 4
	c.WorkerLease = 2 * time.Second
	c.RetryBaseDelay = 20 * time.Millisecond
	c.ShutdownGrace = 2 * time.Second
	c.ReconcileInterval = time.Second
	c.FetchAllowPrivate = true
	c.Limits.FetchAllowedPorts = []string{"*"} // the test sites listen on random ports
	return c
}

// startApp starts one fx app and stops it when the test ends.
func startApp(t *testing.T, c bootstrap.Config, role bootstrap.Role, logs io.Writer, extra ...fx.Option) {
	t.Helper()
	app := bootstrap.NewApp(c, role, logs, extra...)
	require.NoError(t, app.Err())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, app.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		require.NoError(t, app.Stop(ctx))
	})
}

func newStack(t *testing.T, srv *httpapi.Server, logs *logcapture.Buffer, c bootstrap.Config) *stack {
	s := &stack{
		base:   "http://" + srv.Addr(),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{ExpectContinueTimeout: 5 * time.Second}},
		logs:   logs,
		v:      openapitest.Validator(t, httpapi.OpenAPIDocument()),
	}
	if len(c.APITokens) > 0 {
		s.token = c.APITokens[0]
	}
	return s
}

// startMemory runs `taskrunner dev` in memory mode, in-process.
func startMemory(t *testing.T, adjust func(*bootstrap.Config)) *stack {
	t.Helper()
	c := testConfig(t, bootstrap.ModeMemory)
	if adjust != nil {
		adjust(&c)
	}
	logs := &logcapture.Buffer{}
	var srv *httpapi.Server
	startApp(t, c, bootstrap.RoleAll, logs, fx.Populate(&srv))
	s := newStack(t, srv, logs, c)
	s.source, s.noKeySource = "demo", "brave"
	return s
}

// startServices runs an api app and a worker app, separately, over PostgreSQL, Redis and
// S3 from the harness (each test its own database, key prefix and bucket).
func startServices(t *testing.T, adjust func(*bootstrap.Config)) *stack {
	t.Helper()
	c := testConfig(t, bootstrap.ModeServices)
	c.DatabaseURL = harness.Postgres(t)
	rt := harness.Redis(t)
	c.RedisURL, c.RedisPrefix = rt.URL, rt.Prefix
	s3 := harness.S3(t)
	c.MinIO = bootstrap.MinIOConfig{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: s3.Bucket, Secure: s3.Secure}
	c.BraveAPIKey = "e2e-brave-key"
	c.BraveAPIURL = providertest.New(t, providertest.Brave(c.BraveAPIKey),
		providertest.Reply{Status: http.StatusOK, Fixture: "brave_web_ok.json"}).Endpoint()
	if adjust != nil {
		adjust(&c)
	}
	logs := &logcapture.Buffer{}
	var srv *httpapi.Server
	startApp(t, c, bootstrap.RoleAPI, logs, fx.Populate(&srv))
	startApp(t, c, bootstrap.RoleWorker, logs)
	s := newStack(t, srv, logs, c)
	s.source, s.noKeySource = "brave", "exa"
	return s
}

// call sends a request, checks request and response against the OpenAPI document, and
// returns the status and body.
func (s *stack) call(t *testing.T, method, path string, body any, header ...string) (int, []byte, http.Header) {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(t, err)
	}
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(raw))
	require.NoError(t, err)
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	checkReq := req.Clone(context.Background())
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	s.v.Check(t, checkReq, raw, resp, respBody)
	return resp.StatusCode, respBody, resp.Header
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
	code, b, _ := s.call(t, http.MethodPost, path, body)
	require.Equal(t, http.StatusAccepted, code, string(b))
	return decode[task](t, b)
}

// wait polls the task until it is in one of the statuses.
func (s *stack) wait(t *testing.T, id string, statuses ...string) task {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, b, _ := s.call(t, http.MethodGet, "/tasks/"+id, nil)
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
