package cli

import (
	"encoding/json"
	"flag"
	"net/http"
)

// taskOptions are the task request fields every submitting command takes (API.md, "Tasks"
// and "Scheduling and lifecycle"), sent only when given.
type taskOptions struct {
	timeout, retries, priority, delay optInt
	wait                              bool
}

func (o *taskOptions) register(fs *flag.FlagSet) {
	fs.Var(&o.timeout, "timeout", "the task's timeout in `seconds` (timeout_seconds; default: the server's TASK_MAX_RUNTIME_SECONDS)")
	fs.Var(&o.retries, "retries", "`N` retries after a failed attempt (max_retries, 0..10; default 0)")
	fs.Var(&o.priority, "priority", "`priority`: 1 (highest) .. 4 (default 2)")
	fs.Var(&o.delay, "delay", "`seconds` to wait before the task is due (delay_seconds)")
	fs.BoolVar(&o.wait, "wait", false, "wait until the task is final, print it, and exit 1 unless it succeeded (progress on a terminal)")
}

func (o *taskOptions) putInto(body map[string]any) {
	o.timeout.putInto(body, "timeout_seconds")
	o.retries.putInto(body, "max_retries")
	o.priority.putInto(body, "priority")
	o.delay.putInto(body, "delay_seconds")
}

// submitTask posts body to path (POST /tasks or a shortcut), then prints the new task, or
// with --wait the task once it is final.
func (r *runner) submitTask(path string, body map[string]any, o *taskOptions) error {
	raw, err := r.cl.call(r.ctx, http.MethodPost, path, body)
	if err != nil {
		return err
	}
	if !o.wait {
		return r.printTask(raw)
	}
	var t struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &t); err != nil || t.ID == "" {
		return &apiError{Code: "invalid_answer", Message: "the new task has no id"}
	}
	return r.waitAndPrint(t.ID, 0)
}

func runSubmit(r *runner, args []string) error {
	s := spec{name: "submit", args: "TYPE", nargs: 1, format: true,
		about: "Submits a task of TYPE (echo, sleep, search, search_batch, fetch_url, ...) with POST /tasks\n" +
			"and prints it. Params come from --params and -p, which combine (-p wins).\n\n" +
			"  taskrunner submit echo -p msg=hello\n" +
			"  taskrunner submit sleep -p seconds=2 --wait\n" +
			"  taskrunner submit search --params '{\"query\": \"task queues\", \"sources\": [\"demo\"]}'"}
	fs := r.flags(s)
	var o taskOptions
	o.register(fs)
	var params paramFlag
	paramsJSON := fs.String("params", "", "the task's params as a `JSON` object")
	fs.Var(&params, "p", "one param as `key=value`, repeatable; a value that is valid JSON is taken as JSON (n=2, ok=true), else as a string")
	pos, err := r.parse(s, fs, args)
	if err != nil {
		return err
	}
	p, err := params.params(*paramsJSON)
	if err != nil {
		return &usageError{cmd: s.name, msg: err.Error()}
	}
	body := map[string]any{"type": pos[0], "params": p}
	o.putInto(body)
	return r.submitTask("/tasks", body, &o)
}

func runSearch(r *runner, args []string) error {
	s := spec{name: "search", args: "QUERY", nargs: 1, format: true,
		about: "Submits a search task with POST /search and prints it.\n\n" +
			"  taskrunner search 'open source task runner' --source demo --wait"}
	fs := r.flags(s)
	var o taskOptions
	o.register(fs)
	var sources listFlag
	var recency, maxResults optInt
	fs.Var(&sources, "source", "a search `source` (repeatable or comma-separated; default: the server's)")
	fs.Var(&recency, "recency-days", "only results from the last `N` days (default 7)")
	fs.Var(&maxResults, "max-results", "`N` results per source (default: the server's SEARCH_MAX_RESULTS)")
	pos, err := r.parse(s, fs, args)
	if err != nil {
		return err
	}
	body := map[string]any{"query": pos[0]}
	if len(sources) > 0 {
		body["sources"] = []string(sources)
	}
	recency.putInto(body, "recency_days")
	maxResults.putInto(body, "max_results")
	o.putInto(body)
	return r.submitTask("/search", body, &o)
}

func runFetch(r *runner, args []string) error {
	s := spec{name: "fetch", args: "URL", nargs: 1, format: true,
		about: "Submits a fetch_url task with POST /fetch and prints it; its artifacts hold the page's text\n" +
			"(and the formats asked for).\n\n" +
			"  taskrunner fetch https://example.com/ --wait"}
	fs := r.flags(s)
	var o taskOptions
	o.register(fs)
	var formats listFlag
	raw := fs.Bool("raw", false, "keep the text of the whole page, not only the article (reader_mode=false)")
	fs.Var(&formats, "format", "an artifact `format`: text, markdown, links, html (repeatable or comma-separated; default: the server's)")
	pos, err := r.parse(s, fs, args)
	if err != nil {
		return err
	}
	body := map[string]any{"url": pos[0]}
	if len(formats) > 0 {
		body["formats"] = []string(formats)
	}
	if *raw {
		body["reader_mode"] = false
	}
	o.putInto(body)
	return r.submitTask("/fetch", body, &o)
}
