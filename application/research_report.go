package application

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"taskrunner/domain"
)

const researchReportSchema = "research_report/v1"

// reportDoc is the content of a research_report artifact.
type reportDoc struct {
	Schema            string           `json:"schema"`
	Query             string           `json:"query,omitempty"` // the request's "query", when it gave one
	Queries           []string         `json:"queries"`
	Sources           []string         `json:"sources"`
	FetchTop          int              `json:"fetch_top"`
	Formats           []string         `json:"formats"`
	RankingArtifactID string           `json:"ranking_artifact_id"`
	Searches          []researchSearch `json:"searches"`
	Fetched           int              `json:"fetched"`
	Failed            int              `json:"failed"`
	Cached            int              `json:"cached"`
	Results           []reportResult   `json:"results"`
	CreatedAt         time.Time        `json:"created_at"`
}

// reportResult is one ranked result and, for the top fetch_top, how its fetch went.
type reportResult struct {
	URL         string       `json:"url"`
	Title       string       `json:"title"`
	Snippet     string       `json:"snippet"`
	PublishedAt *time.Time   `json:"published_at"`
	Sources     []string     `json:"sources"`
	Score       float64      `json:"score"`
	Rank        int          `json:"rank"`
	Queries     []int        `json:"queries"`
	Fetch       *reportFetch `json:"fetch"` // null: ranked below fetch_top, not fetched
}

// reportFetch is the outcome of one child fetch. A URL the fetch validation refused has
// no task: status "refused", task_id null.
type reportFetch struct {
	TaskID       *string      `json:"task_id"`
	Status       string       `json:"status"`
	ErrorCode    *domain.Code `json:"error_code"`
	ErrorMessage string       `json:"error_message,omitempty"`
	Title        string       `json:"title"`
	Byline       string       `json:"byline"`
	PublishedAt  *string      `json:"published_at"`
	WordCount    *int         `json:"word_count"`
	FinalURL     string       `json:"final_url"`
	Cached       bool         `json:"cached"`
	Excerpt      string       `json:"excerpt"`
	ArtifactIDs  []string     `json:"artifact_ids"`
}

// researchResultJSON is the result object of a research task.
type researchResultJSON struct {
	ArtifactIDs []string `json:"artifact_ids"`
	Fetched     int      `json:"fetched"`
	Failed      int      `json:"failed"`
	Cached      int      `json:"cached"`
}

// refusedStatus is the fetch status of a URL no child could be made for.
const refusedStatus = "refused"

// report builds and stores both reports from the ranking and the children's final rows,
// and returns the result; with no page read although some were tried, the task fails with
// the most common of their errors (the reports are stored all the same).
func (h *ResearchHandler) report(ctx context.Context, t domain.Task, p domain.ResearchParams, ranking rankingDoc,
	plan []planned, children []domain.Task) (json.RawMessage, error) {
	byKey := make(map[string]domain.Task, len(children))
	for _, c := range children {
		byKey[c.IdempotencyKey] = c
	}
	doc := reportDoc{Schema: researchReportSchema, Queries: p.Queries, Sources: p.Sources, FetchTop: p.FetchTop,
		Formats: p.Formats, RankingArtifactID: ranking.artifactID, Searches: ranking.Searches,
		Results: make([]reportResult, len(ranking.Results)), CreatedAt: h.search.deps.Clock.Now()}
	if p.Single {
		doc.Query = p.Queries[0]
	}
	var failures []domain.Code
	for i, hit := range ranking.Results {
		doc.Results[i] = reportResult{URL: hit.URL, Title: hit.Title, Snippet: hit.Snippet, PublishedAt: hit.PublishedAt,
			Sources: hit.Sources, Score: hit.Score, Rank: hit.Rank, Queries: hit.Queries}
		if i >= len(plan) {
			continue
		}
		f, err := h.fetchOutcome(ctx, plan[i], byKey[childKey(t.ID, hit.URL)])
		if err != nil {
			return nil, err
		}
		doc.Results[i].Fetch = f
		switch {
		case f.Status == string(domain.StatusSucceeded):
			doc.Fetched++
			if f.Cached {
				doc.Cached++
			}
		default:
			doc.Failed++
			if f.ErrorCode != nil {
				failures = append(failures, *f.ErrorCode)
			}
		}
	}
	ids, err := h.writeReports(ctx, t.ID, doc)
	if err != nil {
		return nil, err
	}
	h.deps.Log.InfoContext(ctx, "research_reported", "task_id", t.ID, "fetched", doc.Fetched, "failed", doc.Failed, "cached", doc.Cached)
	if doc.Fetched == 0 && doc.Failed > 0 {
		code := mostCommon(failures)
		return nil, domain.NewError(code, "none of the %d pages could be read; the most common error was %s (see the research_report artifact %s)",
			doc.Failed, code, ids[0])
	}
	return json.Marshal(researchResultJSON{ArtifactIDs: ids, Fetched: doc.Fetched, Failed: doc.Failed, Cached: doc.Cached})
}

// fetchOutcome reads one planned fetch's outcome from its child's final row and, when it
// succeeded, from its fetch_text artifact.
func (h *ResearchHandler) fetchOutcome(ctx context.Context, pl planned, child domain.Task) (*reportFetch, error) {
	if pl.refused != nil {
		code := pl.refused.Code
		return &reportFetch{Status: refusedStatus, ErrorCode: &code, ErrorMessage: pl.refused.Message, ArtifactIDs: []string{}}, nil
	}
	if child.ID == "" { // cannot happen: ensureChildren made every planned child
		return nil, domain.NewError(domain.CodeInternal, "the child fetching %s is missing", pl.hit.URL)
	}
	id := child.ID
	f := &reportFetch{TaskID: &id, Status: string(child.Status), ArtifactIDs: []string{}}
	if child.Status != domain.StatusSucceeded {
		code, msg := domain.CodeInternal, "the fetch ended without an error"
		if child.Error != nil {
			code, msg = child.Error.Code, child.Error.Message
		}
		f.ErrorCode, f.ErrorMessage = &code, msg
		return f, nil
	}
	var res struct {
		ArtifactIDs []string `json:"artifact_ids"`
		Title       string   `json:"title"`
		FinalURL    string   `json:"final_url"`
		Cached      bool     `json:"cached"`
	}
	if err := json.Unmarshal(child.Result, &res); err != nil {
		return nil, domain.NewError(domain.CodeInternal, "the result of fetch %s is unreadable", child.ID).WithCause(err)
	}
	f.Title, f.FinalURL, f.Cached = res.Title, res.FinalURL, res.Cached
	if res.ArtifactIDs != nil {
		f.ArtifactIDs = res.ArtifactIDs
	}
	for _, aid := range res.ArtifactIDs {
		a, err := h.search.deps.Artifacts.Get(ctx, aid)
		if err != nil {
			return nil, fmt.Errorf("research: artifact %s of fetch %s: %w", aid, child.ID, err)
		}
		if a.Type != domain.ArtifactFetchText {
			continue
		}
		facts, err := h.readText(ctx, a)
		if err != nil {
			return nil, err
		}
		f.Byline, f.PublishedAt, f.Excerpt = facts.byline, facts.publishedAt, facts.excerpt
		f.WordCount = &facts.wordCount
		if f.Title == "" {
			f.Title = facts.title
		}
	}
	return f, nil
}

// mostCommon returns the code that occurs most often, the earliest on a tie.
func mostCommon(codes []domain.Code) domain.Code {
	if len(codes) == 0 {
		return domain.CodeFetchFailed
	}
	counts := map[domain.Code]int{}
	best := codes[0]
	for _, c := range codes {
		counts[c]++
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// writeReports stores the JSON report, then the markdown digest, and returns their ids.
func (h *ResearchHandler) writeReports(ctx context.Context, taskID string, doc reportDoc) ([]string, error) {
	meta := map[string]any{"queries": doc.Queries, "fetched": doc.Fetched, "failed": doc.Failed, "cached": doc.Cached}
	js, err := h.search.writeJSON(ctx, taskID, domain.ArtifactResearchReport, doc, meta)
	if err != nil {
		return nil, err
	}
	m, err := json.Marshal(meta)
	if err != nil {
		return nil, domain.NewError(domain.CodeInternal, "encoding the research metadata failed").WithCause(err)
	}
	md, err := h.search.deps.Artifacts.Create(ctx, NewArtifact{TaskID: taskID, Type: domain.ArtifactResearchReportMD,
		ContentType: "text/markdown; charset=utf-8", Data: []byte(renderResearchMarkdown(doc)), Metadata: m})
	if err != nil {
		return nil, err
	}
	return []string{js.ID, md.ID}, nil
}
