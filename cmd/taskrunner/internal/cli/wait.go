package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Long-poll tuning. pollWait is the wait asked of GET /tasks/{id}?wait=N (the API allows
// up to 60 s; a shorter one keeps the progress line fresh). A server that answers before
// the wait is up with a task that is not final (one without long-poll support, or a
// progress change) gets the next request after a pause that grows from minPause to
// maxPause, so the loop never spins.
const (
	pollWait = 20 * time.Second
	minPause = 200 * time.Millisecond
	maxPause = 2 * time.Second
)

// finalStatus reports whether a task status is one it never leaves.
func finalStatus(s string) bool {
	return s == "succeeded" || s == "failed" || s == "cancelled"
}

// polledTask is what the wait loop reads of a task.
type polledTask struct {
	ID       string          `json:"id"`
	Status   string          `json:"status"`
	Progress json.RawMessage `json:"progress"`
	Error    *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// waitTask long-polls a task until it is final and returns its JSON. limit > 0 gives up
// after that long. The progress line goes to stderr when it is a terminal.
func (r *runner) waitTask(id string, limit time.Duration) (json.RawMessage, polledTask, error) {
	ctx := r.ctx
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	line := newProgressLine(r.env.Stderr, r.env.StderrTTY)
	defer line.clear()
	pause := minPause
	var last polledTask
	for {
		asked := time.Now()
		wait := pollWait
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// Ask for a little less than is left, so the answer arrives before the deadline.
			wait = max((time.Until(dl) - 500*time.Millisecond).Truncate(time.Second), 0)
		}
		path := "/tasks/" + url.PathEscape(id) + "?wait=" + strconv.Itoa(int(wait/time.Second))
		raw, err := r.cl.callWithin(ctx, wait+requestTimeout, http.MethodGet, path, nil)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) && r.ctx.Err() == nil {
				return nil, last, notFinal(id, last.Status, limit)
			}
			return nil, last, err
		}
		if err := json.Unmarshal(raw, &last); err != nil {
			return nil, last, fmt.Errorf("the task's JSON: %w", err)
		}
		if finalStatus(last.Status) {
			return raw, last, nil
		}
		line.show(last)
		if wait >= time.Second && time.Since(asked) >= wait/2 {
			pause = minPause // the server held the request: it long-polls
			continue
		}
		if err := sleepCtx(ctx, pause); err != nil {
			if r.ctx.Err() == nil {
				return nil, last, notFinal(id, last.Status, limit)
			}
			return nil, last, err
		}
		pause = min(2*pause, maxPause)
	}
}

// notFinal is the error of a wait that gave up.
func notFinal(id, status string, limit time.Duration) error {
	if status == "" {
		return fmt.Errorf("task %s is not final after %s", id, limit)
	}
	return fmt.Errorf("task %s is still %s after %s", id, status, limit)
}

// waitAndPrint waits for a task, prints it, and fails unless it succeeded.
func (r *runner) waitAndPrint(id string, limit time.Duration) error {
	raw, t, err := r.waitTask(id, limit)
	if err != nil {
		return err
	}
	if err := r.printTask(raw); err != nil {
		return err
	}
	if t.Status == "succeeded" {
		return nil
	}
	if t.Error != nil && t.Error.Code != "" {
		return &taskFailedError{code: t.Error.Code, message: fmt.Sprintf("task %s %s: %s", t.ID, t.Status, oneLine(t.Error.Message))}
	}
	return &taskFailedError{code: "task_" + t.Status, message: fmt.Sprintf("task %s %s", t.ID, t.Status)}
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
