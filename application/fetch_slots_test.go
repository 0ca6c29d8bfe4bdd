package application_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// stuckExtractor is an extractor stage that cannot be interrupted: it ignores its context
// until released, and counts the calls that started and that run at once.
type stuckExtractor struct {
	started          chan struct{}
	release          chan struct{}
	calls, in, peakN atomic.Int32
}

func newStuckExtractor() *stuckExtractor {
	return &stuckExtractor{started: make(chan struct{}, 8), release: make(chan struct{})}
}

func (e *stuckExtractor) Extract(context.Context, domain.ExtractInput) (domain.Extracted, error) {
	e.calls.Add(1)
	n := e.in.Add(1)
	defer e.in.Add(-1)
	for p := e.peakN.Load(); n > p && !e.peakN.CompareAndSwap(p, n); p = e.peakN.Load() {
	}
	e.started <- struct{}{}
	<-e.release
	return domain.Extracted{Title: "t", Text: "some text"}, nil
}

// A task whose context ends while its extraction runs ends at once (fetch_failed,
// retryable), but its extraction keeps its slot until it has really stopped: with one
// slot, the next task cannot start extracting meanwhile, so abandoned extractions cannot
// pile up beyond EXTRACT_MAX_CONCURRENT.
func TestFetchExtractionSlotOutlivesAbandonedTask(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	ex := newStuckExtractor()
	r.deps.Extractor, r.deps.MaxExtractions, r.deps.CacheTTL = ex, 1, 0
	r.rebuild(t)

	first := r.task(t, `{"url":"`+r.site.URL+`/first"}`)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := r.handler.Run(ctx, first)
		errc <- err
	}()
	<-ex.started
	cancel()
	de := requireFetchCode(t, <-errc, domain.CodeFetchFailed)
	require.True(t, de.Retryable, "an interrupted extraction is transient")

	// The first extraction still runs: the second task waits for the slot until its own
	// deadline, and never starts extracting.
	second := r.task(t, `{"url":"`+r.site.URL+`/second"}`)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel2()
	_, err := r.handler.Run(ctx2, second)
	requireFetchCode(t, err, domain.CodeFetchFailed)
	require.Equal(t, int32(1), ex.calls.Load(), "no second extraction while the first holds the slot")

	close(ex.release) // the abandoned extraction ends and frees its slot
	out, _, err := r.run(t, `{"url":"`+r.site.URL+`/third"}`)
	require.NoError(t, err)
	require.Equal(t, "t", out.Title)
	require.Equal(t, int32(2), ex.calls.Load())
	require.Equal(t, int32(1), ex.peakN.Load(), "never more than one extraction at once")
}

// panickyExtractor panics, as a library bug would.
type panickyExtractor struct{}

func (panickyExtractor) Extract(context.Context, domain.ExtractInput) (domain.Extracted, error) {
	panic("library bug")
}

// A panicking extractor fails its task with internal and frees its slot; it does not take
// the process down (it runs outside the worker's recover).
func TestFetchExtractorPanicFailsTheTask(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	r.deps.Extractor, r.deps.MaxExtractions = panickyExtractor{}, 1
	r.rebuild(t)
	for range 2 { // the second would wait forever if the first kept its slot
		_, _, err := r.run(t, `{"url":"`+r.site.URL+`/x"}`)
		requireFetchCode(t, err, domain.CodeInternal)
	}
}
