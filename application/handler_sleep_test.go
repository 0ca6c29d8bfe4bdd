package application_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
)

func TestEchoHandler(t *testing.T) {
	t.Parallel()
	h := application.NewEchoHandler()
	for _, ok := range []string{`{}`, `{"msg":"hello"}`, ` {"nested":{"a":[1,null]}} `} {
		got, err := h.Validate(json.RawMessage(ok), domain.DefaultLimits())
		require.NoError(t, err, ok)
		out, err := h.Run(context.Background(), domain.Task{Params: got})
		require.NoError(t, err)
		require.JSONEq(t, ok, string(out))
	}
	for _, bad := range []string{``, `[]`, `"x"`, `3`, `null`, `{"a":`} {
		_, err := h.Validate(json.RawMessage(bad), domain.DefaultLimits())
		require.Equal(t, domain.CodeInvalidRequest, domain.CodeOf(err), bad)
	}
}

func TestSleepHandlerValidate(t *testing.T) {
	t.Parallel()
	limits := domain.DefaultLimits()
	limits.TaskMaxRuntimeSeconds = 60
	for _, tc := range []struct {
		params string
		code   domain.Code
		field  string
		want   string
	}{
		{params: `{"seconds":0}`, want: `{"seconds":0}`},
		{params: `{"seconds":1.5}`, want: `{"seconds":1.5}`},
		{params: `{"seconds":60}`, want: `{"seconds":60}`},
		{params: `{}`, code: domain.CodeInvalidParams, field: "params.seconds"},
		{params: `{"seconds":null}`, code: domain.CodeInvalidParams, field: "params.seconds"},
		{params: `{"seconds":-1}`, code: domain.CodeInvalidParams, field: "params.seconds"},
		{params: `{"seconds":61}`, code: domain.CodeInvalidParams, field: "params.seconds"},
		{params: `{"seconds":"5"}`, code: domain.CodeInvalidRequest, field: "params.seconds"},
		{params: `{"seconds":1,"extra":true}`, code: domain.CodeInvalidParams, field: "params.extra"},
		{params: `[1]`, code: domain.CodeInvalidRequest, field: "params"},
		{params: `null`, code: domain.CodeInvalidRequest, field: "params"},
	} {
		got, err := application.NewSleepHandler().Validate(json.RawMessage(tc.params), limits)
		if tc.code == "" {
			require.NoError(t, err, tc.params)
			require.JSONEq(t, tc.want, string(got))
			continue
		}
		var e *domain.Error
		require.True(t, errors.As(err, &e), tc.params)
		require.Equal(t, tc.code, e.Code, tc.params)
		require.Equal(t, tc.field, e.Details["field"], tc.params)
	}
}

func TestSleepHandlerRun(t *testing.T) {
	t.Parallel()
	h := application.NewSleepHandler()
	out, err := h.Run(context.Background(), domain.Task{Params: json.RawMessage(`{"seconds":0.01}`)})
	require.NoError(t, err)
	require.JSONEq(t, `{"slept_seconds":0.01}`, string(out))

	parent, cancel := context.WithCancel(context.Background())
	ctx := watchDone(parent)
	ended := make(chan error, 1)
	go func() {
		_, err := h.Run(ctx, domain.Task{Params: json.RawMessage(`{"seconds":3600}`)})
		ended <- err
	}()
	// Cancel once Run waits on its context: cancelling first would pass even if Run only
	// looked at ctx.Err() before an uninterruptible sleep.
	select {
	case <-ctx.asked:
	case <-time.After(waitLimit):
		t.Fatal("sleep never waited on its context")
	}
	cancel()
	select {
	case err := <-ended:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(waitLimit):
		t.Fatal("sleep did not honour its context")
	}
}

// doneWatcher is a context that reports when Done is first asked for: a handler that waits
// on its context asks for it, so a test can act once the wait has begun.
type doneWatcher struct {
	context.Context
	once  sync.Once
	asked chan struct{} // closed on the first call of Done
}

func watchDone(ctx context.Context) *doneWatcher {
	return &doneWatcher{Context: ctx, asked: make(chan struct{})}
}

func (c *doneWatcher) Done() <-chan struct{} {
	c.once.Do(func() { close(c.asked) })
	return c.Context.Done()
}
