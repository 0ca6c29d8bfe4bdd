package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
	"taskrunner/domain"
)

// The id comes out of the API's own rendering of a task, whatever else the answer holds.
func TestSubmittedReadsTheIDOfTheAPIsTaskJSON(t *testing.T) {
	now := time.Now()
	task := domain.Task{ID: new(domain.IDGenerator).New(now), Type: domain.TaskEcho, Status: domain.StatusQueued,
		Params: json.RawMessage(`{"msg":"bench","id":"not this one"}`), TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
	body, err := httpapi.TaskEncoder{}.EncodeTask(task)
	require.NoError(t, err)
	var s submitted
	require.NoError(t, s.decodeBody(body))
	require.Equal(t, task.ID, s.ID)
}

func TestSubmittedFindsTheIDAfterOtherMembers(t *testing.T) {
	var s submitted
	require.NoError(t, s.decodeBody([]byte(`{"params":{"id":"inner"},"status":"queued","id":"0190-top"}`)))
	require.Equal(t, "0190-top", s.ID)
}

func TestSubmittedRefusesAnswersWithoutAnID(t *testing.T) {
	for _, body := range []string{``, `[]`, `{"status":"queued"}`, `{"id":""}`, `{"id":7}`, `{"id":`, `not json`} {
		var s submitted
		require.Error(t, s.decodeBody([]byte(body)), body)
	}
}
