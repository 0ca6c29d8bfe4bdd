package domain_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestTaskCloneSharesNothing(t *testing.T) {
	t.Parallel()
	started := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	finished := started.Add(time.Second)
	orig := domain.Task{
		ID: "a", Params: json.RawMessage(`{"x":1}`), Result: json.RawMessage(`{"y":2}`),
		Error:     &domain.TaskError{Code: domain.CodeTaskCancelled, Message: "m"},
		StartedAt: &started, FinishedAt: &finished,
	}
	c := orig.Clone()
	require.Equal(t, orig, c)

	c.Params[2] = 'z'
	c.Result[2] = 'z'
	c.Error.Message = "changed"
	*c.StartedAt = time.Time{}
	*c.FinishedAt = time.Time{}
	require.JSONEq(t, `{"x":1}`, string(orig.Params))
	require.JSONEq(t, `{"y":2}`, string(orig.Result))
	require.Equal(t, "m", orig.Error.Message)
	require.Equal(t, started, *orig.StartedAt)
	require.Equal(t, finished, *orig.FinishedAt)
}

func TestTaskCloneKeepsNilAndEmpty(t *testing.T) {
	t.Parallel()
	c := domain.Task{Params: json.RawMessage{}}.Clone()
	require.NotNil(t, c.Params, "empty JSON stays empty, not nil")
	require.Nil(t, c.Result)
	require.Nil(t, c.Error)
	require.Nil(t, c.StartedAt)
	require.Nil(t, c.FinishedAt)
}
