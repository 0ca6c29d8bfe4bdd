package application

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"taskrunner/domain"
	"taskrunner/ports"
)

// ResearchDeps are what the research handler needs.
type ResearchDeps struct {
	// Search is shared with the search handlers: the same caches, runs and reuse.
	Search SearchDeps
	Tasks  ports.TaskStore
	// Batch and Queue create and push a research's children in one write and one push.
	Batch ports.TaskBatchStore
	Queue ports.BatchQueue
	// Fetch validates each child's params as a submitted fetch_url's would be.
	Fetch  Handler
	Limits domain.Limits
	Log    *slog.Logger
}

// ResearchHandler runs `research` tasks: search (as search tasks do, through the same
// caches), fuse the queries' rankings, fetch the top fetch_top URLs as child fetch_url
// tasks spread over the workers, and, once every child has ended, write a research_report
// (JSON) and a research_report_md (markdown) artifact. The result is {"artifact_ids",
// "fetched", "failed", "cached"}.
//
// A research runs in two or more attempts, each one pass of Run, which works out where it
// stands from what is stored: the ranking artifact (written once, before any child) and
// the children (created at most once per URL, idempotently). While children are still to
// end, Run returns ErrAwaitChildren and the task is parked without a worker slot
// (domain/task_children.go); the last child wakes it. A pass cut short anywhere (a crash,
// a lost lease) is redone from the same stored state, so no child is created twice and
// the ranking does not change under the children.
type ResearchHandler struct {
	deps   ResearchDeps
	search *searchService
}

var _ Handler = (*ResearchHandler)(nil)

// NewResearchHandler returns the handler, or an error naming a missing dependency.
func NewResearchHandler(d ResearchDeps) (*ResearchHandler, error) {
	if d.Tasks == nil || d.Batch == nil || d.Queue == nil || d.Fetch == nil || d.Log == nil {
		return nil, errors.New("application: research needs Tasks, Batch, Queue, Fetch and Log")
	}
	s, err := newSearchService(d.Search)
	if err != nil {
		return nil, err
	}
	return &ResearchHandler{deps: d, search: s}, nil
}

// Validate checks params as domain.ParseResearchParams says, and each format as the
// fetch_url handler will check it on the children, and returns them normalized.
func (h *ResearchHandler) Validate(params json.RawMessage, limits domain.Limits) (json.RawMessage, error) {
	p, err := domain.ParseResearchParams(params, limits)
	if err != nil {
		return nil, err
	}
	probe, err := json.Marshal(childParams{URL: "https://example.com/", ReaderMode: p.ReaderMode, Formats: p.Formats})
	if err != nil {
		return nil, err
	}
	if _, err := h.deps.Fetch.Validate(probe, domain.Limits{FetchDomainAllowlist: []string{"*"},
		FetchAllowedPorts: []string{"*"}, TaskMaxArtifactMB: limits.TaskMaxArtifactMB}); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Details["field"] == "params.url" {
			return nil, domain.NewError(domain.CodeInternal, "research could not build a fetch").WithCause(err)
		}
		return nil, err // a format the fetch handler refuses, named as params.formats
	}
	return json.Marshal(p)
}

// Run does the next step of the research: search (first pass), create and push the
// children that are missing, then park while any child is still to end, or write the
// report once all have.
func (h *ResearchHandler) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	var p domain.ResearchParams
	if err := json.Unmarshal(t.Params, &p); err != nil || len(p.Queries) == 0 || len(p.Sources) == 0 || p.MaxResults < 1 {
		return nil, domain.InvalidParams("params", "stored params of research task %s are not valid", t.ID)
	}
	ranking, err := h.ranking(ctx, t.ID, p)
	if err != nil {
		return nil, err
	}
	plan := h.plan(ranking.Results, p)
	children, err := h.ensureChildren(ctx, t, plan)
	if err != nil {
		return nil, err
	}
	ended := 0
	for _, c := range children {
		if c.Status.Terminal() {
			ended++
		}
	}
	// The progress is written with the park (and with the report); while the task is
	// parked, fan-in raises it as children end (FanIn.WakeIfDone).
	pr := domain.ChildrenProgress(ended, len(children))
	ReportProgress(ctx, pr.Done, pr.Total, pr.Message)
	if ended < len(children) {
		return nil, ErrAwaitChildren
	}
	return h.report(ctx, t, p, ranking, plan, children)
}
