package demo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/demo"
	"taskrunner/domain"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var now = time.Date(2026, 11, 28, 14, 3, 7, 0, time.UTC)

func TestSearchIsDeterministic(t *testing.T) {
	t.Parallel()
	p := demo.New(demo.Config{Clock: fixedClock{now}})
	require.Equal(t, "demo", p.Name())
	q := domain.SearchQuery{Query: "Open source task runner", RecencyDays: 7, MaxResults: 10}
	a, err := p.Search(context.Background(), q)
	require.NoError(t, err)
	b, err := demo.New(demo.Config{Clock: fixedClock{now.Add(time.Hour)}}).Search(context.Background(),
		domain.SearchQuery{Query: "  open SOURCE   task runner ", RecencyDays: 7, MaxResults: 10})
	require.NoError(t, err)
	require.Len(t, a, 10)
	for i := range a {
		require.Equal(t, a[i].URL, b[i].URL, "case and spacing do not matter")
	}

	require.NotEqual(t, a[0].Title, a[1].Title, "neighbours get different titles")
	seen := map[string]bool{}
	for _, r := range a {
		require.True(t, strings.HasPrefix(r.URL, "https://demo.taskrunner.invalid/open-source-task-runner/"), r.URL)
		require.False(t, seen[r.URL], "duplicate %s", r.URL)
		seen[r.URL] = true
		require.Contains(t, r.Title, "Open source task runner")
		require.Contains(t, r.Snippet, "Open source task runner")
		require.Equal(t, "demo", r.Source)
		require.NotNil(t, r.PublishedAt)
		require.False(t, r.PublishedAt.After(now))
		require.True(t, r.PublishedAt.After(now.AddDate(0, 0, -8)), "inside the recency window")
		c, err := domain.CanonicalURL(r.URL)
		require.NoError(t, err)
		require.Equal(t, r.URL, c, "demo URLs are canonical already")
	}

	other, err := p.Search(context.Background(), domain.SearchQuery{Query: "queue worker redis", MaxResults: 10})
	require.NoError(t, err)
	require.NotEqual(t, a[0].URL, other[0].URL)
}

func TestSearchCountsAndNames(t *testing.T) {
	t.Parallel()
	p := demo.New(demo.Config{Name: "demo2"})
	got, err := p.Search(context.Background(), domain.SearchQuery{Query: "ünïcode only ✓", MaxResults: 50})
	require.NoError(t, err)
	require.Len(t, got, 20, "capped like a provider page")
	require.Equal(t, "demo2", got[0].Source)
	require.Contains(t, got[0].URL, "/n-code-only/")

	got, err = p.Search(context.Background(), domain.SearchQuery{Query: "✓✓", MaxResults: 0})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Contains(t, got[0].URL, "/q/")
}

func TestSearchHonoursCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := demo.New(demo.Config{}).Search(ctx, domain.SearchQuery{Query: "x", MaxResults: 1})
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.True(t, errors.Is(err, context.Canceled))
}
