package e2e

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sseFrame is one Server-Sent Events frame: an event (Event, ID, Data) or a comment.
type sseFrame struct {
	Event, ID, Data, Comment string
}

// sseStream is an open GET /events, its frames read in the background.
type sseStream struct {
	resp   *http.Response
	frames chan sseFrame // closed when the stream ends
	cancel context.CancelFunc
}

// openEvents opens GET /events?query with the header pairs and checks the answer is a
// stream; the stream is closed when the test ends.
func (s *stack) openEvents(t *testing.T, query string, header ...string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/events?"+query, nil)
	require.NoError(t, err)
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	// No client timeout: the stream is long-lived. bodyclose cannot follow the body into
	// sseStream, whose close (a cleanup below) closes it.
	resp, err := (&http.Client{}).Do(req) //nolint:bodyclose // closed by st.close
	if err != nil {
		cancel()
		require.NoError(t, err)
	}
	// Closed at cleanup, also when a check below fails.
	st := &sseStream{resp: resp, frames: make(chan sseFrame, 1024), cancel: cancel}
	t.Cleanup(st.close)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream"), resp.Header.Get("Content-Type"))
	go st.read()
	return st
}

func (st *sseStream) close() {
	st.cancel()
	_ = st.resp.Body.Close()
}

func (st *sseStream) read() {
	defer close(st.frames)
	sc := bufio.NewScanner(st.resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var f sseFrame
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if f != (sseFrame{}) {
				st.frames <- f
			}
			f = sseFrame{}
		case strings.HasPrefix(line, ":"):
			f.Comment = strings.TrimSpace(strings.TrimPrefix(line, ":"))
		case strings.HasPrefix(line, "event: "):
			f.Event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "id: "):
			f.ID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			f.Data = strings.TrimPrefix(line, "data: ")
		}
	}
}

// next returns the next frame; it fails the test when none comes within wait or the
// stream ended.
func (st *sseStream) next(t *testing.T, wait time.Duration) sseFrame {
	t.Helper()
	select {
	case f, ok := <-st.frames:
		require.True(t, ok, "the event stream ended")
		return f
	case <-time.After(wait):
		t.Fatalf("no frame within %s", wait)
		return sseFrame{}
	}
}

// taskEvent returns the next task event of id, skipping comments and other tasks.
func (st *sseStream) taskEvent(t *testing.T, id string) (sseFrame, task) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		f := st.next(t, time.Until(deadline))
		if f.Event != "task" {
			continue
		}
		require.NotEmpty(t, f.ID, "every event has an id")
		tk := decode[task](t, []byte(f.Data))
		if tk.ID == id {
			return f, tk
		}
	}
}

// statusesUntil collects id's statuses from the stream until one is final.
func (st *sseStream) statusesUntil(t *testing.T, id string) ([]string, string) {
	t.Helper()
	var seen []string
	for {
		f, tk := st.taskEvent(t, id)
		seen = append(seen, tk.Status)
		switch tk.Status {
		case "succeeded", "failed", "cancelled":
			return seen, f.ID
		}
	}
}

// ended reports whether the stream ends (EOF) within wait, skipping frames.
func (st *sseStream) ended(wait time.Duration) bool {
	deadline := time.After(wait)
	for {
		select {
		case _, ok := <-st.frames:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}
