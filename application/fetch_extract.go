package application

import (
	"context"
	"fmt"
	"runtime"

	"taskrunner/domain"
)

// extractSlots bounds the extractions one process runs at once (EXTRACT_MAX_CONCURRENT).
// WORKER_CONCURRENCY alone does not: a task whose deadline passed mid-extraction ends,
// its worker slot takes new work, and the extraction goes on. A slot is held until the
// extractor has actually returned, so abandoned extractions keep counting.
type extractSlots chan struct{}

// newExtractSlots makes n slots; n <= 0 means one per CPU (GOMAXPROCS).
func newExtractSlots(n int) extractSlots {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return make(extractSlots, n)
}

// extractResult is what an extraction's goroutine hands back.
type extractResult struct {
	out domain.Extracted
	err error
}

// extract runs the extractor in a slot. Waiting for a slot and waiting for the result both
// end with ctx, returning ctx's error; the extraction then finishes on its own (the
// Extractor stops at its next stage) and frees the slot. The result is cleaned for
// storage (domain.StorableExtract), whichever extractor produced it.
func (h *FetchHandler) extract(ctx context.Context, in domain.ExtractInput) (domain.Extracted, error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return domain.Extracted{}, ctx.Err()
	}
	done := make(chan extractResult, 1) // buffered: an abandoned extraction still exits
	go func() {
		defer func() { <-h.slots }()
		defer func() {
			// This goroutine is outside the worker's recover; a panic here would end the process.
			if r := recover(); r != nil {
				done <- extractResult{err: fmt.Errorf("extractor panicked: %v", r)}
			}
		}()
		out, err := h.deps.Extractor.Extract(ctx, in)
		done <- extractResult{out: out, err: err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return domain.Extracted{}, r.err
		}
		return domain.StorableExtract(r.out), nil
	case <-ctx.Done():
		return domain.Extracted{}, ctx.Err()
	}
}
