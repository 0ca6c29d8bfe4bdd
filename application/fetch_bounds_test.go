package application_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// maxExtractHeap bounds the heap in use while two 24 MB pages of "<p>x" are fetched at
// once. Unbounded, their parse trees alone held 3.1 GB; bounded, the whole test stays
// near 150 MB (the page served, the two bodies and the two bounded parses).
const maxExtractHeap = 400 << 20

// Two large pages fetched at once: each is millions of elements, which the parser would
// turn into gigabytes of tree. Both must end, with their text cut to what the extractor
// reads (truncated), and the heap must stay bounded while they run.
//
// Not parallel: it measures the process's heap, which parallel tests would add to.
func TestFetchLargePagesStayBounded(t *testing.T) {
	page := bytes.Repeat([]byte("<p>x"), 24<<20/4)
	site := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	r := newFetchRigMB(t, site, 30)
	r.deps.MaxExtractions = 2 // both at once: the most memory two tasks can take
	r.rebuild(t)
	tasks := []domain.Task{
		r.task(t, `{"url":"`+r.site.URL+`/a"}`),
		r.task(t, `{"url":"`+r.site.URL+`/b","reader_mode":false}`),
	}

	runtime.GC()
	resetPeakRSS()
	peak := sampleHeap(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	began := time.Now()
	results := make([]json.RawMessage, len(tasks))
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, tk := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = r.handler.Run(ctx, tk)
		}()
	}
	wg.Wait()
	heap := peak()
	t.Logf("two 24 MB pages: %v, peak heap in use %d MB, peak RSS %d MB", time.Since(began).Round(time.Millisecond),
		heap>>20, peakRSS()>>20)

	for i := range tasks {
		require.NoError(t, errs[i], "task %d", i)
		var out fetchResultOut
		require.NoError(t, json.Unmarshal(results[i], &out))
		a, text := r.read(t, out.ArtifactIDs[0])
		var meta map[string]any
		require.NoError(t, json.Unmarshal(a.Metadata, &meta))
		require.Equal(t, true, meta["truncated"], "task %d", i)
		require.True(t, strings.HasPrefix(string(text), "x\n\nx"), "task %d: the page's beginning", i)
	}
	require.Less(t, heap, uint64(maxExtractHeap), "peak heap in use")
}

// sampleHeap records the largest HeapInuse until the returned function is called, which
// stops the sampling and returns it.
func sampleHeap(t *testing.T) func() uint64 {
	t.Helper()
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-tick.C:
			case <-stop:
				done <- peak
				return
			}
		}
	}()
	var once sync.Once
	var peak uint64
	get := func() uint64 {
		once.Do(func() { close(stop); peak = <-done })
		return peak
	}
	t.Cleanup(func() { get() })
	return get
}

// resetPeakRSS starts the kernel's peak resident set size afresh (Linux; elsewhere a no-op).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident set size in bytes (VmHWM; 0 where unknown).
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
