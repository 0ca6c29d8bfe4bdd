package bootstrap

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// Every adapter is a node of the graph, so a test replaces one with fx.Decorate: here the
// Brave provider (a member of the providers' value group) and the page fetcher, each then
// used by a task that runs in the app.
func TestAdaptersAreReplaceableWithDecorate(t *testing.T) {
	t.Parallel()
	c := testConfig(t, ModeMemory)
	c.FetchAllowPrivate = true
	var (
		tasks     *application.TaskService
		artifacts *application.ArtifactService
	)
	app := fxtest.New(t, appOptions(c, RoleAll, io.Discard,
		fx.Decorate(fx.Annotate(func(list []ports.SearchProvider) []ports.SearchProvider {
			out := []ports.SearchProvider{fakeBrave{}}
			for _, p := range list {
				if p.Name() != "brave" {
					out = append(out, p)
				}
			}
			return out
		}, fx.ParamTags(searchProviderGroup), fx.ResultTags(searchProviderGroup))),
		fx.Decorate(func(ports.PageFetcher) ports.PageFetcher { return fakeFetcher{} }),
		fx.Populate(&tasks, &artifacts),
	)...)
	app.RequireStart()
	defer app.RequireStop()

	search := runTask(t, tasks, domain.TaskSearch, `{"query":"q","sources":["brave"]}`)
	require.Equal(t, domain.StatusSucceeded, search.Status, "%+v", search.Error)
	require.Contains(t, string(search.Result), `"result_count":1`)

	fetch := runTask(t, tasks, domain.TaskFetchURL, `{"url":"https://example.com/a","reader_mode":false}`)
	require.Equal(t, domain.StatusSucceeded, fetch.Status, "%+v", fetch.Error)
	var result struct {
		ArtifactIDs []string `json:"artifact_ids"`
	}
	require.NoError(t, json.Unmarshal(fetch.Result, &result))
	require.NotEmpty(t, result.ArtifactIDs)
	_, text, err := artifacts.ReadAll(t.Context(), result.ArtifactIDs[0])
	require.NoError(t, err)
	require.Contains(t, string(text), "a fake page")
}

// runTask submits a task and waits for it to finish.
func runTask(t *testing.T, tasks *application.TaskService, typ domain.TaskType, params string) domain.Task {
	t.Helper()
	ctx := t.Context()
	task, _, err := tasks.Submit(ctx, application.SubmitInput{Type: string(typ), Params: json.RawMessage(params)})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		got, err := tasks.Get(ctx, task.ID)
		return err == nil && got.Status.Terminal()
	}, 20*time.Second, 5*time.Millisecond)
	task, err = tasks.Get(ctx, task.ID)
	require.NoError(t, err)
	return task
}

// fakeBrave answers every query with one result, key or not.
type fakeBrave struct{}

func (fakeBrave) Name() string { return "brave" }

func (fakeBrave) Search(context.Context, domain.SearchQuery) ([]domain.SearchResult, error) {
	return []domain.SearchResult{{Title: "Fake", URL: "https://example.com/fake", Source: "brave"}}, nil
}

// fakeFetcher serves one plain-text page for every URL, without the network.
type fakeFetcher struct{}

func (fakeFetcher) Fetch(_ context.Context, r domain.FetchRequest) (domain.Page, error) {
	return domain.Page{URL: r.URL, FinalURL: r.URL, StatusCode: 200, ContentType: "text/plain",
		Charset: "utf-8", Body: []byte("a fake page"), Text: "a fake page"}, nil
}
