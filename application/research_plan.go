package application

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	"taskrunner/domain"
)

const researchRankingSchema = "research_ranking/v1"

// rankingDoc is the content of a research_ranking artifact: what the search found, fixed
// before any child exists, so every later pass (and the report) reads the same ranking.
type rankingDoc struct {
	Schema    string               `json:"schema"`
	Queries   []string             `json:"queries"`
	Searches  []researchSearch     `json:"searches"`
	Results   []domain.ResearchHit `json:"results"`
	CreatedAt time.Time            `json:"created_at"`
	// artifactID is the ranking artifact's own id (not stored in it).
	artifactID string
}

// researchSearch is how one query's search went.
type researchSearch struct {
	Query       string                    `json:"query"`
	ArtifactID  string                    `json:"artifact_id,omitempty"`
	Cached      bool                      `json:"cached"`
	ResultCount int                       `json:"result_count"`
	Providers   map[string]ProviderReport `json:"providers"`
	Error       *domain.TaskError         `json:"error,omitempty"`
}

// childParams are the params a research gives each child fetch_url.
type childParams struct {
	URL        string   `json:"url"`
	ReaderMode bool     `json:"reader_mode"`
	Formats    []string `json:"formats"`
}

// planned is one URL the research means to fetch: its hit and either the child's params
// or why no child could be made for it (the fetch validation refused the URL).
type planned struct {
	hit     domain.ResearchHit
	params  json.RawMessage
	refused *domain.TaskError
}

// ranking returns the research's ranking: the one stored by an earlier pass, or a new one
// from searching every query (each as a search task would, through the same caches).
func (h *ResearchHandler) ranking(ctx context.Context, taskID string, p domain.ResearchParams) (rankingDoc, error) {
	arts, err := h.search.deps.Artifacts.ListByTask(ctx, taskID)
	if err != nil {
		return rankingDoc{}, err
	}
	for i := len(arts) - 1; i >= 0; i-- {
		if arts[i].Type != domain.ArtifactResearchRanking {
			continue
		}
		_, data, err := h.search.deps.Artifacts.ReadAll(ctx, arts[i].ID)
		if err != nil {
			return rankingDoc{}, err
		}
		var doc rankingDoc
		if err := json.Unmarshal(data, &doc); err != nil || doc.Schema != researchRankingSchema {
			return rankingDoc{}, domain.NewError(domain.CodeInternal, "the stored ranking of research %s is unreadable", taskID)
		}
		doc.artifactID = arts[i].ID
		return doc, nil
	}
	searches, rankings, err := h.searchAll(ctx, taskID, p)
	if err != nil {
		return rankingDoc{}, err
	}
	doc := rankingDoc{Schema: researchRankingSchema, Queries: p.Queries, Searches: searches,
		Results: domain.FuseRankings(rankings), CreatedAt: h.search.deps.Clock.Now()}
	art, err := h.search.writeJSON(ctx, taskID, domain.ArtifactResearchRanking, doc, map[string]any{
		"queries": p.Queries, "result_count": len(doc.Results)})
	if err != nil {
		return rankingDoc{}, err
	}
	doc.artifactID = art.ID
	return doc, nil
}

// searchAll searches every query, BatchConcurrency at a time. A query whose every source
// failed is reported and left out of the fusion; when every query failed, the first
// query's error is returned (retryable as the providers' errors are).
func (h *ResearchHandler) searchAll(ctx context.Context, taskID string, p domain.ResearchParams) ([]researchSearch, [][]domain.MergedResult, error) {
	n := len(p.Queries)
	answers := make([]searchAnswer, n)
	errs := make([]error, n)
	sem := make(chan struct{}, h.search.deps.BatchConcurrency)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			answers[i], errs[i] = h.search.search(ctx, taskID, p.Search(i))
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	searches := make([]researchSearch, n)
	rankings := make([][]domain.MergedResult, n)
	failed := 0
	for i, a := range answers {
		searches[i] = researchSearch{Query: p.Queries[i], ArtifactID: a.artifactID, Cached: a.cached,
			ResultCount: a.doc.ResultCount, Providers: a.providers}
		if errs[i] != nil {
			te := taskError(errs[i])
			searches[i].Error, searches[i].ResultCount = &te, 0
			failed++
			continue
		}
		rankings[i] = a.doc.Results
	}
	if failed == n {
		return nil, nil, errs[0]
	}
	return searches, rankings, nil
}

// plan picks the top fetch_top URLs of the ranking (distinct already: the ranking is by
// canonical URL) and builds each child's params, validated as a submitted fetch_url's.
func (h *ResearchHandler) plan(hits []domain.ResearchHit, p domain.ResearchParams) []planned {
	top := hits[:min(p.FetchTop, len(hits))]
	out := make([]planned, len(top))
	for i, hit := range top {
		out[i].hit = hit
		raw, err := json.Marshal(childParams{URL: hit.URL, ReaderMode: p.ReaderMode, Formats: p.Formats})
		if err == nil {
			raw, err = h.deps.Fetch.Validate(raw, h.deps.Limits)
		}
		if err != nil {
			te := taskError(err)
			out[i].refused = &te
			continue
		}
		out[i].params = raw
	}
	return out
}

// ensureChildren creates the planned children that do not exist yet, in one write, each
// under an idempotency key of (parent, URL), and pushes every child still waiting to run,
// in one push (both idempotent: a redone pass changes nothing). It returns all children.
func (h *ResearchHandler) ensureChildren(ctx context.Context, parent domain.Task, plan []planned) ([]domain.Task, error) {
	children, err := listChildren(ctx, h.deps.Tasks, parent.ID)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, c := range children {
		have[c.IdempotencyKey] = true
	}
	now := h.search.deps.Clock.Now()
	var missing []domain.Task
	for _, pl := range plan {
		key := childKey(parent.ID, pl.hit.URL)
		if pl.refused != nil || have[key] {
			continue
		}
		missing = append(missing, domain.Task{
			ID: h.search.deps.IDs.New(now), Type: domain.TaskFetchURL, Status: domain.StatusQueued,
			Params: pl.params, MaxRetries: parent.MaxRetries, TimeoutSeconds: parent.TimeoutSeconds,
			IdempotencyKey: key, ClientID: parent.ClientID, Priority: parent.Priority, ParentID: parent.ID,
			CreatedAt: now, UpdatedAt: now,
		})
	}
	if len(missing) > 0 {
		created, err := h.deps.Batch.CreateMany(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, r := range created {
			if r.Task.ParentID != parent.ID || r.Task.Type != domain.TaskFetchURL {
				// Only a research makes keys of this shape; anything else is a bug.
				return nil, domain.NewError(domain.CodeInternal, "child key of research %s is held by task %s", parent.ID, r.Task.ID)
			}
			children = append(children, r.Task)
		}
		h.deps.Log.InfoContext(ctx, "research_children_created", "task_id", parent.ID, "count", len(missing))
	}
	var items []domain.QueueItem
	for _, c := range children {
		if c.Status == domain.StatusQueued || c.Status == domain.StatusScheduled {
			items = append(items, c.QueueItem())
		}
	}
	if err := h.deps.Queue.EnqueueMany(ctx, items); err != nil {
		return nil, err
	}
	return children, nil
}

// childKey is the idempotency key of the child fetching url for parent. With auth on a
// client's key is stored scoped (scope, U+001F, key) and cannot take this shape; with auth
// off one could copy it, so ensureChildren checks that the task holding a key is this
// parent's child and fails the research rather than adopt a stranger's task.
func childKey(parentID, url string) string {
	sum := sha256.Sum256([]byte(url))
	return "research\x1e" + parentID + "\x1e" + hex.EncodeToString(sum[:16])
}
