package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// tasksCommands are the subcommands of `taskrunner tasks`.
var tasksCommands = map[string]func(r *runner, args []string) error{
	"list":   runTasksList,
	"get":    runTasksGet,
	"wait":   runTasksWait,
	"cancel": runTasksCancel,
	"retry":  runTasksRetry,
	"delete": runTasksDelete,
}

const tasksUsage = `usage: taskrunner tasks list|get|wait|cancel|retry|delete [ID] [flags]

  list            the newest tasks (GET /tasks), filtered by --status and --type
  get ID          one task (GET /tasks/{id})
  wait ID         wait until the task is final; exit 1 unless it succeeded
  cancel ID       cancel a queued, scheduled or running task (POST /tasks/{id}/cancel)
  retry ID        submit a failed or cancelled task again (POST /tasks/{id}/retry)
  delete ID       delete a final task and its artifacts (DELETE /tasks/{id})

'taskrunner tasks <subcommand> --help' lists each one's flags.
`

func runTasks(r *runner, args []string) error {
	if len(args) == 0 {
		return &usageError{cmd: "tasks", msg: "needs a subcommand: list, get, wait, cancel, retry or delete"}
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(r.env.Stdout, tasksUsage+envHelp)
		return errHelpShown
	}
	sub, ok := tasksCommands[args[0]]
	if !ok {
		return &usageError{cmd: "tasks", msg: fmt.Sprintf("unknown subcommand %q: want list, get, wait, cancel, retry or delete", args[0])}
	}
	return sub(r, args[1:])
}

func runTasksList(r *runner, args []string) error {
	s := spec{name: "tasks list", format: true,
		about: "Lists tasks, newest first (GET /tasks). The table shows one page; with -o table the\n" +
			"cursor of the next page goes to stderr."}
	fs := r.flags(s)
	var statuses, types listFlag
	fs.Var(&statuses, "status", "only tasks in these `statuses` (repeatable or comma-separated)")
	fs.Var(&types, "type", "only tasks of these `types` (repeatable or comma-separated)")
	var limit optInt
	fs.Var(&limit, "limit", "`N` tasks per page, 1..500 (default 50)")
	cursor := fs.String("cursor", "", "the next_cursor of an earlier page (`cursor`)")
	if _, err := r.parse(s, fs, args); err != nil {
		return err
	}
	q := url.Values{}
	if len(statuses) > 0 {
		q.Set("status", strings.Join(statuses, ","))
	}
	if len(types) > 0 {
		q.Set("type", strings.Join(types, ","))
	}
	if limit.set {
		q.Set("limit", strconv.Itoa(limit.v))
	}
	if *cursor != "" {
		q.Set("cursor", *cursor)
	}
	path := "/tasks"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	raw, err := r.cl.call(r.ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	if r.format == "json" {
		return printJSON(r.env.Stdout, raw)
	}
	var page struct {
		Tasks      []json.RawMessage `json:"tasks"`
		NextCursor *string           `json:"next_cursor"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return fmt.Errorf("the task list: %w", err)
	}
	if err := printTaskList(r.env.Stdout, page.Tasks); err != nil {
		return err
	}
	if page.NextCursor != nil && *page.NextCursor != "" {
		fmt.Fprintf(r.env.Stderr, "more: taskrunner tasks list --cursor %s\n", *page.NextCursor)
	}
	return nil
}

// idCommand is a tasks subcommand that takes one task id and sends one request.
func (r *runner) idCommand(name, about string, args []string) (string, error) {
	s := spec{name: "tasks " + name, args: "ID", nargs: 1, format: true, about: about}
	fs := r.flags(s)
	pos, err := r.parse(s, fs, args)
	if err != nil {
		return "", err
	}
	return "/tasks/" + url.PathEscape(pos[0]), nil
}

func runTasksGet(r *runner, args []string) error {
	path, err := r.idCommand("get", "Prints one task (GET /tasks/{id}).", args)
	if err != nil {
		return err
	}
	raw, err := r.cl.call(r.ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	return r.printTask(raw)
}

func runTasksWait(r *runner, args []string) error {
	s := spec{name: "tasks wait", args: "ID", nargs: 1, format: true,
		about: "Waits until the task is final (long-polling GET /tasks/{id}?wait=N), prints it, and exits 1\n" +
			"unless it succeeded. On a terminal, a progress line shows on stderr meanwhile."}
	fs := r.flags(s)
	var limit optInt
	fs.Var(&limit, "timeout", "give up after this many `seconds` (exit 1); default: wait until the task is final")
	pos, err := r.parse(s, fs, args)
	if err != nil {
		return err
	}
	if limit.set && limit.v < 1 {
		return &usageError{cmd: s.name, msg: "--timeout must be at least 1 second"}
	}
	return r.waitAndPrint(pos[0], time.Duration(limit.v)*time.Second)
}

func runTasksCancel(r *runner, args []string) error {
	path, err := r.idCommand("cancel", "Cancels a task (POST /tasks/{id}/cancel) and prints it: cancelled, or still running\n"+
		"while the cancel reaches its worker.", args)
	if err != nil {
		return err
	}
	raw, err := r.cl.call(r.ctx, http.MethodPost, path+"/cancel", nil)
	if err != nil {
		return err
	}
	return r.printTask(raw)
}

func runTasksRetry(r *runner, args []string) error {
	path, err := r.idCommand("retry", "Submits a failed or cancelled task again as a new task with the same type, params and\n"+
		"options (POST /tasks/{id}/retry) and prints the new task; its retry_of names the original.", args)
	if err != nil {
		return err
	}
	raw, err := r.cl.call(r.ctx, http.MethodPost, path+"/retry", nil)
	if err != nil {
		return err
	}
	return r.printTask(raw)
}

func runTasksDelete(r *runner, args []string) error {
	path, err := r.idCommand("delete", "Deletes a final task with its artifacts (DELETE /tasks/{id}).", args)
	if err != nil {
		return err
	}
	if _, err := r.cl.call(r.ctx, http.MethodDelete, path, nil); err != nil {
		return err
	}
	id, _ := url.PathUnescape(strings.TrimPrefix(path, "/tasks/"))
	if r.format == "json" {
		b, err := json.Marshal(map[string]any{"id": id, "deleted": true})
		if err != nil {
			return err
		}
		return printJSON(r.env.Stdout, b)
	}
	_, err = fmt.Fprintf(r.env.Stdout, "deleted %s\n", id)
	return err
}
