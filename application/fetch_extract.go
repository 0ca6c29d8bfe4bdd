package application

import (
	"context"
	"fmt"
	"runtime"

	"taskrunner/domain"
)

// extractSlots bounds the extractions and renderings one process runs at once
// (EXTRACT_MAX_CONCURRENT). WORKER_CONCURRENCY alone does not: a task whose deadline
// passed mid-extraction ends, its worker slot takes new work, and the extraction goes on.
// A slot is held until the extractor has actually returned, so abandoned extractions keep
// counting.
type extractSlots chan struct{}

// newExtractSlots makes n slots; n <= 0 means one per CPU (GOMAXPROCS).
func newExtractSlots(n int) extractSlots {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return make(extractSlots, n)
}

// slotResult is what a slot's goroutine hands back.
type slotResult[T any] struct {
	out T
	err error
}

// inSlot runs work in a slot. Waiting for a slot and waiting for the result both end with
// ctx, returning ctx's error; the work then finishes on its own (extractor and renderer
// stop at their next stage) and frees the slot.
func inSlot[T any](ctx context.Context, slots extractSlots, what string, work func(context.Context) (T, error)) (T, error) {
	var zero T
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	done := make(chan slotResult[T], 1) // buffered: abandoned work still exits
	go func() {
		defer func() { <-slots }()
		defer func() {
			// This goroutine is outside the worker's recover; a panic here would end the process.
			if r := recover(); r != nil {
				done <- slotResult[T]{err: fmt.Errorf("%s panicked: %v", what, r)}
			}
		}()
		out, err := work(ctx)
		done <- slotResult[T]{out: out, err: err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// extract runs the extractor in a slot. The result is cleaned for storage
// (domain.StorableExtract), whichever extractor produced it.
func (h *FetchHandler) extract(ctx context.Context, in domain.ExtractInput) (domain.Extracted, error) {
	out, err := inSlot(ctx, h.slots, "extractor", func(ctx context.Context) (domain.Extracted, error) {
		return h.deps.Extractor.Extract(ctx, in)
	})
	if err != nil {
		return domain.Extracted{}, err
	}
	return domain.StorableExtract(out), nil
}

// render runs the page renderer in a slot.
func (h *FetchHandler) render(ctx context.Context, in domain.RenderInput) (domain.Rendered, error) {
	return inSlot(ctx, h.slots, "renderer", func(ctx context.Context) (domain.Rendered, error) {
		return h.deps.Renderer.Render(ctx, in)
	})
}
