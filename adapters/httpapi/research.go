package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// researchRequest is the body of POST /research: the research params plus the submit
// options. Absent params stay absent, and take the research task's defaults (those of
// POST /search for the search fields).
type researchRequest struct {
	Query          *string   `json:"query"`
	Queries        *[]string `json:"queries"`
	Sources        *[]string `json:"sources"`
	RecencyDays    *int      `json:"recency_days"`
	MaxResults     *int      `json:"max_results"`
	FetchTop       *int      `json:"fetch_top"`
	Formats        *[]string `json:"formats"`
	ReaderMode     *bool     `json:"reader_mode"`
	TimeoutSeconds *int      `json:"timeout_seconds"`
	MaxRetries     *int      `json:"max_retries"`
	IdempotencyKey *string   `json:"idempotency_key"`
	CallbackURL    *string   `json:"callback_url"`
	scheduleFields
}

// researchParams are the params POST /research builds.
type researchParams struct {
	Query       *string   `json:"query,omitempty"`
	Queries     *[]string `json:"queries,omitempty"`
	Sources     *[]string `json:"sources,omitempty"`
	RecencyDays *int      `json:"recency_days,omitempty"`
	MaxResults  *int      `json:"max_results,omitempty"`
	FetchTop    *int      `json:"fetch_top,omitempty"`
	Formats     *[]string `json:"formats,omitempty"`
	ReaderMode  *bool     `json:"reader_mode,omitempty"`
}

func (s *Server) researchShortcut(c *fiber.Ctx) error {
	var req researchRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	if req.Query == nil && req.Queries == nil {
		return domain.InvalidParams("query", "query (or queries) is required")
	}
	p := researchParams{Query: req.Query, Queries: req.Queries, Sources: req.Sources, RecencyDays: req.RecencyDays,
		MaxResults: req.MaxResults, FetchTop: req.FetchTop, Formats: req.Formats, ReaderMode: req.ReaderMode}
	return s.submitShortcut(c, domain.TaskResearch, p, submitOptions{req.TimeoutSeconds, req.MaxRetries, req.IdempotencyKey, req.CallbackURL, req.scheduleFields})
}
