package domain_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestParseResearchParamsDefaults(t *testing.T) {
	t.Parallel()
	p, err := domain.ParseResearchParams(json.RawMessage(`{"query":"  go   queues "}`), searchLimits())
	require.NoError(t, err)
	require.Equal(t, domain.ResearchParams{Queries: []string{"go queues"}, Single: true, Sources: []string{"brave"},
		RecencyDays: domain.DefaultRecencyDays, MaxResults: 10, FetchTop: 5, Formats: []string{"text"}, ReaderMode: true}, p)

	p, err = domain.ParseResearchParams(json.RawMessage(`{"queries":["a","b"],"sources":["exa"],"fetch_top":0,
		"formats":["markdown","links"],"reader_mode":false,"max_results":3}`), searchLimits())
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, p.Queries)
	require.False(t, p.Single)
	require.Zero(t, p.FetchTop)
	require.Equal(t, []string{"markdown", "links"}, p.Formats)
	require.False(t, p.ReaderMode)
	require.Equal(t, 3, p.MaxResults)
	require.Equal(t, domain.SearchParams{Query: "b", Sources: []string{"exa"}, RecencyDays: 7, MaxResults: 3}, p.Search(1))
}

func TestParseResearchParamsRejects(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ body, field string }{
		"no query":       {`{}`, "params.query"},
		"both":           {`{"query":"a","queries":["b"]}`, "params.queries"},
		"empty queries":  {`{"queries":[]}`, "params.queries"},
		"too many":       {`{"queries":["a","b","c","d"]}`, "params.queries"},
		"fetch_top high": {`{"query":"a","fetch_top":21}`, "params.fetch_top"},
		"fetch_top low":  {`{"query":"a","fetch_top":-1}`, "params.fetch_top"},
		"no formats":     {`{"query":"a","formats":[]}`, "params.formats"},
		"bad format":     {`{"query":"a","formats":["pdf"]}`, "params.formats"},
		"twice":          {`{"query":"a","formats":["text","TEXT"]}`, "params.formats"},
		"bad source":     {`{"query":"a","sources":["altavista"]}`, "params.sources"},
		"wrong type":     {`{"query":"a","fetch_top":"5"}`, "params.fetch_top"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := domain.ParseResearchParams(json.RawMessage(c.body), searchLimits())
			var de *domain.Error
			require.True(t, errors.As(err, &de), "%v", err)
			require.Equal(t, c.field, de.Details["field"])
		})
	}
}

func TestFuseRankings(t *testing.T) {
	t.Parallel()
	hit := func(u string, rank int, srcs ...string) domain.MergedResult {
		return domain.MergedResult{URL: u, Title: "t" + u, Rank: rank, Score: 1 / float64(domain.RRFK+rank), Sources: srcs}
	}
	one := []domain.MergedResult{hit("a", 1, "brave"), hit("b", 2, "exa")}
	single := domain.FuseRankings([][]domain.MergedResult{one})
	require.Len(t, single, 2)
	require.Equal(t, one[1].Score, single[1].Score, "one query keeps its ranking as it is")
	require.Equal(t, []int{0}, single[0].Queries)

	fused := domain.FuseRankings([][]domain.MergedResult{
		{hit("a", 1, "brave"), hit("b", 2, "brave"), hit("c", 3, "brave")},
		nil, // a failed query
		{hit("c", 1, "exa"), hit("b", 2, "exa")},
	})
	require.Len(t, fused, 3)
	// b: 1/62+1/62, c: 1/63+1/61, a: 1/61 — c's sum is the larger.
	require.Equal(t, []string{"c", "b", "a"}, []string{fused[0].URL, fused[1].URL, fused[2].URL})
	require.Equal(t, []int{1, 2, 3}, []int{fused[0].Rank, fused[1].Rank, fused[2].Rank})
	require.Equal(t, []string{"brave", "exa"}, fused[0].Sources)
	require.Equal(t, []int{0, 2}, fused[0].Queries)
	require.InDelta(t, 1.0/63+1.0/61, fused[0].Score, 1e-12)
}

func TestAwaitAndWakeFromChildren(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	at := now.Add(time.Hour)
	task := domain.Task{ID: "p", Type: domain.TaskResearch, Status: domain.StatusScheduled, RunAt: &at}
	require.NoError(t, task.Start("h1", now))
	require.Equal(t, 1, task.Attempts)
	require.ErrorIs(t, task.AwaitChildren("h2", now), domain.ErrConflict, "only the holder may park it")
	require.NoError(t, task.AwaitChildren("h1", now))
	require.Equal(t, domain.StatusScheduled, task.Status)
	require.True(t, task.AwaitingChildren)
	require.Nil(t, task.RunAt)
	require.Zero(t, task.Attempts, "a park is not an attempt")
	require.Empty(t, task.Holder)

	require.NoError(t, task.WakeFromChildren(now))
	require.Equal(t, domain.StatusQueued, task.Status)
	require.False(t, task.AwaitingChildren)
	require.ErrorIs(t, task.WakeFromChildren(now), domain.ErrConflict, "a second wake changes nothing")

	// A cancel requested while it ran wins over the park.
	require.NoError(t, task.Start("h3", now))
	_, err := task.Cancel(now)
	require.NoError(t, err)
	require.NoError(t, task.AwaitChildren("h3", now))
	require.Equal(t, domain.StatusCancelled, task.Status)
	require.False(t, task.AwaitingChildren)

	// A parked task is cancelled at once, like any scheduled one.
	parked := domain.Task{ID: "q", Status: domain.StatusScheduled, AwaitingChildren: true}
	running, err := parked.Cancel(now)
	require.NoError(t, err)
	require.False(t, running)
	require.Equal(t, domain.StatusCancelled, parked.Status)
	require.False(t, parked.AwaitingChildren)
}
