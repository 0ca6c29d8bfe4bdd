//go:build uitest

package uitest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
)

// stack starts the whole service in memory mode (api and workers in one process).
func stack(t *testing.T) *apptest.Client {
	t.Helper()
	c := apptest.Config(t, bootstrap.ModeMemory)
	c.LogLevel = "warn"
	return apptest.StartAPI(t, c, bootstrap.RoleAll, io.Discard)
}

// submit posts a task request through the API and returns the task's id.
func submit(t *testing.T, api *apptest.Client, path string, req any) string {
	t.Helper()
	status, body, _ := api.Call(t, http.MethodPost, path, req)
	require.Equal(t, http.StatusAccepted, status, string(body))
	var task struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &task))
	return task.ID
}

// waitStatus polls the API until the task has the status.
func waitStatus(t *testing.T, api *apptest.Client, id, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, body, _ := api.Call(t, http.MethodGet, "/tasks/"+id, nil)
		var task struct {
			Status string `json:"status"`
		}
		require.NoError(t, json.Unmarshal(body, &task))
		if task.Status == want {
			return
		}
		require.True(t, time.Now().Before(deadline), "task %s is %s, want %s", id, task.Status, want)
		time.Sleep(50 * time.Millisecond) // polling a condition with a deadline
	}
}

func TestDashboardInABrowser(t *testing.T) {
	api := stack(t)
	b := newBrowser(t)

	// A task that runs long enough to be seen running, then succeeds.
	slow := submit(t, api, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 2}})
	search := submit(t, api, "/search", map[string]any{"query": "golang <b>tips</b>", "sources": []string{"demo"}})
	waitStatus(t, api, search, "succeeded")

	t.Run("the task list is in the server's HTML and changes status live", func(t *testing.T) {
		b.run(t, chromedp.Navigate(api.URL+"/ui"), chromedp.WaitVisible(chromedp.CSS("#tasks-table")))
		require.Contains(t, text(b, t, "#tasks-table"), slow, "full ids are listed")
		eval[bool](t, b, `window.__sameDocument = true`)
		b.waitJS(t, `document.querySelector('#tasks-table tr[data-task-id=`+jsString(slow)+`] [data-field=status]').textContent === "succeeded"`)
		b.waitJS(t, `window.__sameDocument === true`) // no reload happened
		b.waitJS(t, `document.querySelectorAll("#ov-status dd").length >= 6 && document.querySelector("#ov-chart svg") !== null`)
		b.screenshot(t, "dashboard")
	})

	t.Run("a search task's artifact reads as a ranked list", func(t *testing.T) {
		b.run(t, chromedp.Navigate(api.URL+"/ui/tasks/"+search), chromedp.WaitVisible(chromedp.CSS("table.artifacts a")))
		b.waitJS(t, `document.querySelector("#attempts li") && !document.querySelector("#attempts li").textContent.startsWith("Loading")`)
		b.screenshot(t, "task")
		b.run(t, chromedp.Click(chromedp.CSS("table.artifacts a")), chromedp.WaitVisible(chromedp.CSS("ol.results li")))
		require.Contains(t, text(b, t, "section.search h2"), "golang <b>tips</b>", "the query is shown as text, escaped")
		require.Positive(t, eval[int](t, b, `document.querySelectorAll("ol.results li").length`))
		b.screenshot(t, "artifact-search")
	})

	t.Run("submit a task from the form", func(t *testing.T) {
		b.run(t, chromedp.Navigate(api.URL+"/ui/submit?type=echo"), chromedp.WaitVisible(chromedp.CSS("#echo-params")),
			chromedp.SetValue(chromedp.CSS("#echo-params"), `{"msg": "from the browser"}`),
			chromedp.Click(chromedp.CSS(`#submit-form button[type=submit]`)))
		b.waitJS(t, `location.pathname.startsWith("/ui/tasks/")`)
		b.waitJS(t, `document.querySelector("#task-status").textContent === "succeeded"`)
		require.Contains(t, text(b, t, "pre.json"), "from the browser")
	})

	t.Run("create a schedule, the cron checked as it is typed", func(t *testing.T) {
		b.run(t, chromedp.Navigate(api.URL+"/ui/schedules"), chromedp.WaitVisible(chromedp.CSS("#sc-cron")),
			chromedp.SendKeys(chromedp.CSS("#sc-cron"), "* * *"))
		b.waitJS(t, `document.querySelector("#cron-check .error-box") !== null && document.querySelector("#sc-cron").getAttribute("aria-invalid") === "true"`)
		eval[string](t, b, `document.querySelector("#sc-cron").value = ""`)
		b.run(t, chromedp.SendKeys(chromedp.CSS("#sc-cron"), "*/5 * * * *"))
		b.waitJS(t, `document.querySelectorAll("#cron-check .next-runs li").length === 5`)
		b.run(t, chromedp.SendKeys(chromedp.CSS("#sc-name"), "every five minutes"),
			chromedp.Click(chromedp.CSS(`#schedule-form button[type=submit]`)))
		b.waitJS(t, `[...document.querySelectorAll("#schedules-table td")].some(td => td.textContent.includes("every five minutes"))`)
		b.screenshot(t, "schedules")
	})

	t.Run("the API docs load offline", func(t *testing.T) {
		b.run(t, chromedp.Navigate(api.URL+"/docs"), chromedp.WaitVisible(chromedp.CSS(".swagger-ui .info")),
			chromedp.WaitVisible(chromedp.CSS(".swagger-ui .btn.authorize")))
		b.screenshot(t, "docs")
	})

	t.Run("on a phone", func(t *testing.T) {
		b.run(t, chromedp.Emulate(device.IPhone12), chromedp.Navigate(api.URL+"/ui"), chromedp.WaitVisible(chromedp.CSS("#tasks-table")))
		b.waitJS(t, `document.querySelector("#ov-chart svg") !== null`)
		require.False(t, eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`), "the page scrolls sideways on a phone")
		b.screenshot(t, "dashboard-phone")
		b.run(t, chromedp.EmulateReset())
	})
	b.noErrors(t)
}

// TestRetryAFailedTaskInABrowser opens a failed task and retries it with the button. The
// retry endpoint (POST /tasks/{id}/retry) comes with issue 12; on a server without it the
// button is still there and answers with the API's 404, and the test says so.
func TestRetryAFailedTaskInABrowser(t *testing.T) {
	api := stack(t)
	b := newBrowser(t)
	failed := submit(t, api, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30}, "timeout_seconds": 1})
	waitStatus(t, api, failed, "failed")

	b.run(t, chromedp.Navigate(api.URL+"/ui/tasks/"+failed), chromedp.WaitVisible(chromedp.CSS(`button[data-action=retry]`)))
	require.Contains(t, text(b, t, ".error-box"), "task_runtime_exceeded")
	b.run(t, chromedp.Click(chromedp.CSS(`button[data-action=retry]`)), chromedp.WaitVisible(chromedp.CSS("#confirm-ok")),
		chromedp.Click(chromedp.CSS("#confirm-ok")))
	b.waitJS(t, `location.pathname !== "/ui/tasks/`+failed+`" || document.querySelector("#action-result").textContent !== ""`)
	if eval[string](t, b, `location.pathname`) == "/ui/tasks/"+failed {
		result := text(b, t, "#action-result")
		if strings.Contains(result, "no such endpoint") {
			b.noErrors(t)
			t.Skip("POST /tasks/{id}/retry is not on this branch yet (issue 12): the retry button is shown and reports the missing endpoint")
		}
		t.Fatalf("retry did not open the new task: %s", result)
	}
	b.waitJS(t, `document.querySelector("#task-retry-of a") !== null`)
	require.Contains(t, text(b, t, "#task-retry-of"), failed)
	b.noErrors(t)
}
