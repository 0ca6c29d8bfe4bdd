package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Reconnecting after the event stream drops: the pause grows from minPause to
// maxReconnectPause; a connect that fails, before any stream was open, ends the command.
const maxReconnectPause = 10 * time.Second

// maxEventBytes caps one event's data (a task JSON): a larger one is a broken stream.
const maxEventBytes = 8 << 20

// sseEvent is one Server-Sent Event.
type sseEvent struct {
	id, name string
	data     []byte
}

func runWatch(r *runner, args []string) error {
	s := spec{name: "watch", format: true,
		about: "Follows the server's event stream (GET /events) and prints one line per task change until\n" +
			"interrupted: with -o table the time, id, type, status and progress or error; with -o json\n" +
			"the task JSON, one object per line. A dropped stream is resumed (Last-Event-ID)."}
	fs := r.flags(s)
	var statuses, types listFlag
	task := fs.String("task", "", "only this task's changes (task_id: `ID`)")
	parent := fs.String("parent", "", "only the changes of this task's children (parent_id: `ID`)")
	fs.Var(&statuses, "status", "only changes to these `statuses` (repeatable or comma-separated)")
	fs.Var(&types, "type", "only tasks of these `types` (repeatable or comma-separated)")
	if _, err := r.parse(s, fs, args); err != nil {
		return err
	}
	q := url.Values{}
	if *task != "" {
		q.Set("task_id", *task)
	}
	if *parent != "" {
		q.Set("parent_id", *parent)
	}
	if len(statuses) > 0 {
		q.Set("status", strings.Join(statuses, ","))
	}
	if len(types) > 0 {
		q.Set("type", strings.Join(types, ","))
	}
	path := "/events"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return r.watch(path)
}

// watch reads the stream at path until the run's context ends, reconnecting with the
// last event id when the stream drops after it was open.
func (r *runner) watch(path string) error {
	lastID := ""
	pause := minPause
	for connected := false; ; connected = true {
		opened, err := r.streamOnce(path, &lastID)
		if r.ctx.Err() != nil {
			return r.ctx.Err()
		}
		var api *apiError
		if !connected && !opened || errors.As(err, &api) {
			return err
		}
		if opened {
			pause = minPause
		} else {
			fmt.Fprintf(r.env.Stderr, "watch: %s; trying again in %s\n", oneLine(err.Error()), pause)
		}
		if err := sleepCtx(r.ctx, pause); err != nil {
			return err
		}
		pause = min(2*pause, maxReconnectPause)
	}
}

// streamOnce opens the stream once and prints its events until it ends; opened tells
// whether the server answered with a stream at all.
func (r *runner) streamOnce(path string, lastID *string) (opened bool, err error) {
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.cl.base+path, nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "text/event-stream")
	if r.cl.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.cl.token)
	}
	if *lastID != "" {
		req.Header.Set("Last-Event-ID", *lastID)
	}
	// The stream has no deadline (it is meant to last), but connecting has one.
	connectTimer := time.AfterFunc(requestTimeout, cancel)
	resp, err := r.cl.http.Do(req)
	connectTimer.Stop()
	if err != nil {
		return false, fmt.Errorf("cannot reach %s: %w", r.cl.base, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return false, decodeAPIError(resp)
	}
	return true, readEvents(resp.Body, func(ev sseEvent) error {
		if ev.id != "" {
			*lastID = ev.id
		}
		if ev.name != "task" {
			return nil
		}
		return r.printEvent(ev.data)
	})
}

// readEvents parses a text/event-stream body (the WHATWG rules: "field: value" lines, a
// blank line ends an event, lines starting with ':' are comments) and calls emit per event.
func readEvents(body io.Reader, emit func(sseEvent) error) error {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), maxEventBytes)
	var ev sseEvent
	var data []string
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if len(data) > 0 {
				ev.data = []byte(strings.Join(data, "\n"))
				if ev.name == "" {
					ev.name = "message"
				}
				if err := emit(ev); err != nil {
					return err
				}
			}
			ev, data = sseEvent{}, nil
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			ev.name = value
		case "data":
			data = append(data, value)
		case "id":
			ev.id = value
		}
	}
	return sc.Err()
}

// printEvent prints one task change: a table line, or the task JSON on one line.
func (r *runner) printEvent(data []byte) error {
	if r.format == "json" {
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil { // one line per event
			return fmt.Errorf("an event is not JSON: %w", err)
		}
		buf.WriteByte('\n')
		_, err := r.env.Stdout.Write(buf.Bytes())
		return err
	}
	var t struct {
		ID        string          `json:"id"`
		Type      string          `json:"type"`
		Status    string          `json:"status"`
		UpdatedAt json.RawMessage `json:"updated_at"`
		Progress  json.RawMessage `json:"progress"`
		Error     json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return fmt.Errorf("an event is not a task: %w", err)
	}
	detail := progressText(t.Progress)
	if code := errorCode(t.Error); code != "-" {
		detail = code
	}
	// Fixed widths for type and status keep a stream of lines in columns.
	line := fmt.Sprintf("%s  %s  %-12s  %-9s  %s", cell(t.UpdatedAt), t.ID, t.Type, t.Status, detail)
	_, err := fmt.Fprintln(r.env.Stdout, strings.TrimRight(line, " "))
	return err
}
