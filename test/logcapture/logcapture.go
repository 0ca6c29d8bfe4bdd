// Package logcapture collects a logger's JSON lines in tests and finds events in them, so
// tests can check that a component logged task_killed, artifact_rejected, and so on.
package logcapture

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Buffer is an io.Writer for slog's JSON handler, safe for concurrent writes.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines returns the raw lines whose event (slog's msg) is name.
func (b *Buffer) Lines(name string) []string {
	var out []string
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, `"msg":"`+name+`"`) {
			out = append(out, line)
		}
	}
	return out
}

// Events returns the decoded lines whose event is name. A line that is not JSON matches
// nothing, so an event logged any other way is not found.
func (b *Buffer) Events(name string) []map[string]any {
	return b.TaskEvents(name, "")
}

// TaskEvents returns the decoded lines whose event is name and whose task_id is taskID
// (any task, or none, when taskID is "").
func (b *Buffer) TaskEvents(name, taskID string) []map[string]any {
	var out []map[string]any
	for _, line := range b.Lines(name) {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == name && (taskID == "" || m["task_id"] == taskID) {
			out = append(out, m)
		}
	}
	return out
}

// Wait polls until an event named name about the task taskID ("" for any) was logged, and
// returns the first; it fails the test when none appears within the limit.
func (b *Buffer) Wait(t testing.TB, within time.Duration, name, taskID string) map[string]any {
	t.Helper()
	var got []map[string]any
	require.Eventually(t, func() bool {
		got = b.TaskEvents(name, taskID)
		return len(got) > 0
	}, within, 5*time.Millisecond, "no %s event for task %q", name, taskID)
	return got[0]
}

// Tail returns the last n lines.
func (b *Buffer) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
