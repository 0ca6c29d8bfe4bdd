package application

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"taskrunner/domain"
)

// itemWithErr carries a failed query's error next to its public form.
type itemWithErr struct {
	batchItem
	err error
}

// searchAll searches the distinct queries of p concurrently and fans the outcomes back
// out to every position. It returns ctx's error when ctx ended.
func (h *SearchBatchHandler) searchAll(ctx context.Context, taskID string, p domain.SearchBatchParams) ([]itemWithErr, error) {
	type job struct {
		params  domain.SearchParams
		indexes []int
		out     searchAnswer
		err     error
	}
	var jobs []*job
	byKey := map[string]*job{}
	for i := range p.Queries {
		qp := p.Query(i)
		k := domain.SearchRequestKey(qp)
		if j, ok := byKey[k]; ok {
			j.indexes = append(j.indexes, i)
			continue
		}
		j := &job{params: qp, indexes: []int{i}}
		byKey[k] = j
		jobs = append(jobs, j)
	}
	sem := make(chan struct{}, h.service.deps.BatchConcurrency)
	var wg sync.WaitGroup
	// Progress counts the queries of the request answered so far (a repeated query
	// counts at each of its positions).
	var doneMu sync.Mutex
	var answered int64
	total := int64(len(p.Queries))
	ReportProgress(ctx, 0, total, "queries searched")
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				j.err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			j.out, j.err = h.service.search(ctx, taskID, j.params)
			doneMu.Lock()
			answered += int64(len(j.indexes))
			ReportProgress(ctx, answered, total, "queries searched")
			doneMu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	items := make([]itemWithErr, len(p.Queries))
	for _, j := range jobs {
		for _, i := range j.indexes {
			it := itemWithErr{batchItem: batchItem{Index: i, Query: p.Queries[i], Results: []domain.MergedResult{},
				Providers: map[string]ProviderReport{}}}
			if j.err != nil {
				it.err = j.err
				it.Error = &domain.TaskError{Code: domain.CodeOf(j.err), Message: errMessage(j.err)}
				if j.out.providers != nil {
					it.Providers = j.out.providers
				}
			} else {
				it.ArtifactID = j.out.artifactID
				it.Cached = j.out.cached
				it.ResultCount = j.out.doc.ResultCount
				it.Results = j.out.doc.Results
				it.Providers = j.out.providers
			}
			items[i] = it
		}
	}
	return items, nil
}

// batchFailed is the task error when every query failed: the shared code when all agree
// (provider_not_configured, say), else provider_error; retryable when any failure was.
func batchFailed(failures []error) error {
	code := domain.CodeOf(failures[0])
	retryable, after := false, time.Duration(0)
	msgs := map[string]bool{}
	var parts []string
	for _, f := range failures {
		if domain.CodeOf(f) != code {
			code = domain.CodeProviderError
		}
		var de *domain.Error
		if errors.As(f, &de) && de.Retryable {
			retryable = true
			after = max(after, de.RetryAfter)
		}
		if m := errMessage(f); !msgs[m] {
			msgs[m] = true
			parts = append(parts, m)
		}
	}
	e := domain.NewError(code, "every query of the batch failed: %s", strings.Join(parts, " | "))
	if retryable {
		e.Transient()
		e.RetryAfter = after
	}
	return e
}

// errMessage is the client-safe message of err (a domain error's message, not its cause).
func errMessage(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return "internal error"
}
