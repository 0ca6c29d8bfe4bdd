package faults

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"taskrunner/test/apptest"
)

// answer is one HTTP answer to a submission.
type answer struct {
	status int
	code   string // error code of a non-2xx answer
	body   string
}

// submission is the story of one task a client wanted run.
type submission struct {
	keyed    bool
	key      string
	id       string // of the accepted task
	answers  []answer
	readBack int // status of GET /tasks/{id} right after the 202
	err      error
}

// submitUntilAccepted posts echo task k ({"i": k}) until the API accepts it, retrying
// every 503 or 500 (keyed: with the same idempotency key; else as a fresh submission), for
// up to waitLimit. After a 202 it reads the task back once. It runs on the clients'
// goroutines: api reports a response the OpenAPI document forbids with t.Errorf.
func submitUntilAccepted(t *testing.T, api *apptest.Client, k int, keyed bool, seen func(status int)) submission {
	s := submission{keyed: keyed}
	body := map[string]any{"type": "echo", "params": map[string]int{"i": k}}
	if keyed {
		s.key = fmt.Sprintf("fault-%d", k)
		body["idempotency_key"] = s.key
	}
	raw, _ := json.Marshal(body)
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		status, b, _, err := api.Do(t, http.MethodPost, "/tasks", raw)
		if err != nil {
			s.err = err
			return s
		}
		seen(status)
		a := answer{status: status, body: string(b)}
		var task struct {
			ID    string `json:"id"`
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal(b, &task)
		a.code = task.Error.Code
		s.answers = append(s.answers, a)
		switch status {
		case http.StatusAccepted, http.StatusOK:
			s.id = task.ID
			if status == http.StatusAccepted {
				s.readBack, _, _, _ = api.Do(t, http.MethodGet, "/tasks/"+task.ID, nil)
			}
			return s
		case http.StatusServiceUnavailable, http.StatusInternalServerError:
			// A 500 is wrong (the test reports it) but a client would retry it too; going
			// on shows whether anything else breaks. The sleep is a client's back-off, not
			// synchronisation.
			time.Sleep(10 * time.Millisecond)
		default:
			return s
		}
	}
	s.err = fmt.Errorf("task %d not accepted within %s: %d answers", k, waitLimit, len(s.answers))
	return s
}
