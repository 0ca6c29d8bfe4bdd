package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressLine is the one status line --wait keeps rewriting on a terminal: the task's
// status, its progress and the time waited. Off a terminal it prints nothing, so logs
// and pipes get only the final answer.
type progressLine struct {
	w       io.Writer
	on      bool
	started time.Time
	shown   bool
}

func newProgressLine(w io.Writer, tty bool) *progressLine {
	return &progressLine{w: w, on: tty, started: time.Now()}
}

func (p *progressLine) show(t polledTask) {
	if !p.on {
		return
	}
	parts := []string{t.ID, t.Status}
	if pr := progressText(t.Progress); pr != "" {
		parts = append(parts, pr)
	}
	parts = append(parts, time.Since(p.started).Truncate(time.Second).String())
	// \r and "erase to end of line": the line is rewritten in place.
	fmt.Fprintf(p.w, "\r\033[K%s", strings.Join(parts, "  "))
	p.shown = true
}

func (p *progressLine) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
