package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// printJSON writes an answer as the server sent it, indented: every field, in the
// server's order, so scripts see exactly the API's JSON.
func printJSON(w io.Writer, raw json.RawMessage) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// taskRows are the fields a task's table shows, in order; a field the server does not
// send is left out, so the table reads the same against an older or newer server.
var taskRows = []string{
	"id", "type", "status", "priority", "attempts", "max_retries", "timeout_seconds",
	"progress", "worker", "cancel_requested", "retry_of", "parent_id", "schedule_id",
	"run_at", "created_at", "started_at", "finished_at",
	"params", "result", "error",
}

// printTaskTable writes one task as name/value rows.
func printTaskTable(w io.Writer, raw json.RawMessage) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return fmt.Errorf("the task is not a JSON object: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, name := range taskRows {
		v, ok := fields[name]
		if !ok {
			continue
		}
		value := cell(v)
		switch name {
		case "error":
			value = errorText(v)
		case "progress":
			if p := progressText(v); p != "" {
				value = p
			}
		}
		fmt.Fprintf(tw, "%s\t%s\n", name, value)
	}
	return tw.Flush()
}

// errorText renders a task's error as "code: message".
func errorText(v json.RawMessage) string {
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(v, &e) != nil || e.Code == "" {
		return cell(v)
	}
	return e.Code + ": " + oneLine(e.Message)
}

// printTask writes a task in the run's format.
func (r *runner) printTask(raw json.RawMessage) error {
	if r.format == "json" {
		return printJSON(r.env.Stdout, raw)
	}
	return printTaskTable(r.env.Stdout, raw)
}

// listColumns are the columns of `tasks list`.
var listColumns = []string{"id", "type", "status", "priority", "attempts", "created_at", "finished_at", "error"}

// printTaskList writes tasks as a table, one row each.
func printTaskList(w io.Writer, tasks []json.RawMessage) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(listColumns, "\t")))
	for _, raw := range tasks {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return fmt.Errorf("a task is not a JSON object: %w", err)
		}
		cells := make([]string, len(listColumns))
		for i, c := range listColumns {
			cells[i] = cell(fields[c])
			if c == "error" {
				cells[i] = errorCode(fields[c])
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// cell renders a JSON value for a table: strings bare (times to the second), null or
// absent as "-", anything else as compact JSON.
func cell(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return "-"
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
		return oneLine(s)
	}
	var buf bytes.Buffer
	if json.Compact(&buf, v) == nil {
		return buf.String()
	}
	return string(v)
}

// errorCode is the code of a task's error, for a list row.
func errorCode(v json.RawMessage) string {
	var e struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(v, &e) == nil && e.Code != "" {
		return e.Code
	}
	return "-"
}

// printFlat writes any JSON object as "path value" rows, nested objects as dotted paths
// in key order: a table for answers whose shape the CLI need not know (GET /stats).
func printFlat(w io.Writer, raw json.RawMessage) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	flatten(tw, "", v)
	return tw.Flush()
}

func flatten(w io.Writer, prefix string, v any) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 && prefix != "" {
			fmt.Fprintf(w, "%s\t{}\n", prefix)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(w, p, x[k])
		}
	case nil:
		fmt.Fprintf(w, "%s\t-\n", prefix)
	case string:
		fmt.Fprintf(w, "%s\t%s\n", prefix, oneLine(x))
	case json.Number, bool:
		fmt.Fprintf(w, "%s\t%v\n", prefix, x)
	default:
		b, _ := json.Marshal(x)
		fmt.Fprintf(w, "%s\t%s\n", prefix, b)
	}
}

// progressText renders a task's progress object ({"done", "total", "message"}) for the
// --wait line and watch; "" when there is none.
func progressText(v json.RawMessage) string {
	var p struct {
		Done    *float64 `json:"done"`
		Total   *float64 `json:"total"`
		Message string   `json:"message"`
	}
	if len(v) == 0 || json.Unmarshal(v, &p) != nil {
		return ""
	}
	var parts []string
	if p.Done != nil {
		s := strconv.FormatFloat(*p.Done, 'f', -1, 64)
		if p.Total != nil {
			s += "/" + strconv.FormatFloat(*p.Total, 'f', -1, 64)
		}
		parts = append(parts, s)
	}
	if p.Message != "" {
		parts = append(parts, oneLine(p.Message))
	}
	return strings.Join(parts, " ")
}
