// Package logcapture collects a logger's JSON lines in tests and finds events in them, so
// tests can check that a component logged task_killed, artifact_rejected, and so on.
package logcapture

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
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

// Events returns the decoded lines whose event is name.
func (b *Buffer) Events(name string) []map[string]any {
	var out []map[string]any
	for _, line := range b.Lines(name) {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// Tail returns the last n lines.
func (b *Buffer) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
