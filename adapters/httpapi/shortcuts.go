package httpapi

import (
	"encoding/json"
	"errors"
	"maps"
	"strings"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// defaultRecencyDays is the default API.md gives POST /search. (Its sources are left
// out when the client names none: the search task's own default, the allowed sources
// that can answer, then applies; see domain.ResolveSources.)
const defaultRecencyDays = 7

// The shortcut bodies: their own fields plus the submit options. Shapes (types, unknown
// fields, required fields) are checked here; values are the task handler's to validate.
type searchRequest struct {
	Query          *string   `json:"query"`
	Sources        *[]string `json:"sources"`
	RecencyDays    *int      `json:"recency_days"`
	MaxResults     *int      `json:"max_results"`
	TimeoutSeconds *int      `json:"timeout_seconds"`
	MaxRetries     *int      `json:"max_retries"`
	IdempotencyKey *string   `json:"idempotency_key"`
	CallbackURL    *string   `json:"callback_url"`
	scheduleFields
}

type searchBatchRequest struct {
	Queries        *[]string `json:"queries"`
	Sources        *[]string `json:"sources"`
	RecencyDays    *int      `json:"recency_days"`
	TimeoutSeconds *int      `json:"timeout_seconds"`
	MaxRetries     *int      `json:"max_retries"`
	IdempotencyKey *string   `json:"idempotency_key"`
	CallbackURL    *string   `json:"callback_url"`
	scheduleFields
}

type fetchRequest struct {
	URL          *string `json:"url"`
	ReaderMode   *bool   `json:"reader_mode"`
	StoreRawHTML *bool   `json:"store_raw_html"`
	// Formats passes through as sent: the task's validation names what is wrong with it.
	Formats        json.RawMessage `json:"formats"`
	TimeoutSeconds *int            `json:"timeout_seconds"`
	MaxRetries     *int            `json:"max_retries"`
	IdempotencyKey *string         `json:"idempotency_key"`
	CallbackURL    *string         `json:"callback_url"`
	scheduleFields
}

// The params each shortcut builds. Absent optional fields stay absent (omitempty on
// pointers) unless API.md gives the shortcut a default.
type searchParams struct {
	Query       string    `json:"query"`
	Sources     *[]string `json:"sources,omitempty"`
	RecencyDays int       `json:"recency_days"`
	MaxResults  int       `json:"max_results"`
}

type searchBatchParams struct {
	Queries     []string  `json:"queries"`
	Sources     *[]string `json:"sources,omitempty"`
	RecencyDays *int      `json:"recency_days,omitempty"`
}

type fetchParams struct {
	URL          string          `json:"url"`
	ReaderMode   bool            `json:"reader_mode"`
	StoreRawHTML bool            `json:"store_raw_html"`
	Formats      json.RawMessage `json:"formats,omitempty"`
}

func (s *Server) searchShortcut(c *fiber.Ctx) error {
	var req searchRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	if req.Query == nil {
		return domain.InvalidParams("query", "query is required")
	}
	p := searchParams{Query: *req.Query, Sources: req.Sources, RecencyDays: defaultRecencyDays,
		MaxResults: s.cfg.Limits.SearchMaxResults}
	if req.RecencyDays != nil {
		p.RecencyDays = *req.RecencyDays
	}
	if req.MaxResults != nil {
		p.MaxResults = *req.MaxResults
	}
	return s.submitShortcut(c, domain.TaskSearch, p, submitOptions{req.TimeoutSeconds, req.MaxRetries, req.IdempotencyKey, req.CallbackURL, req.scheduleFields})
}

func (s *Server) searchBatchShortcut(c *fiber.Ctx) error {
	var req searchBatchRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	if req.Queries == nil {
		return domain.InvalidParams("queries", "queries is required")
	}
	p := searchBatchParams{Queries: *req.Queries, Sources: req.Sources, RecencyDays: req.RecencyDays}
	return s.submitShortcut(c, domain.TaskSearchBatch, p, submitOptions{req.TimeoutSeconds, req.MaxRetries, req.IdempotencyKey, req.CallbackURL, req.scheduleFields})
}

func (s *Server) fetchShortcut(c *fiber.Ctx) error {
	var req fetchRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	if req.URL == nil {
		return domain.InvalidParams("url", "url is required")
	}
	p := fetchParams{URL: *req.URL, ReaderMode: true, Formats: req.Formats}
	if req.ReaderMode != nil {
		p.ReaderMode = *req.ReaderMode
	}
	if req.StoreRawHTML != nil {
		p.StoreRawHTML = *req.StoreRawHTML
	}
	return s.submitShortcut(c, domain.TaskFetchURL, p, submitOptions{req.TimeoutSeconds, req.MaxRetries, req.IdempotencyKey, req.CallbackURL, req.scheduleFields})
}

// submitShortcut submits like POST /tasks; a validation error that names "params.x" is
// renamed to "x", the field as this client sent it.
func (s *Server) submitShortcut(c *fiber.Ctx, typ domain.TaskType, params any, opt submitOptions) error {
	raw, err := marshalJSON(params)
	if err != nil {
		return err
	}
	return unprefixParams(s.submit(c, string(typ), raw, opt))
}

func unprefixParams(err error) error {
	var de *domain.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	field, ok := de.Details["field"].(string)
	if !ok || !strings.HasPrefix(field, "params.") {
		return err
	}
	short := strings.TrimPrefix(field, "params.")
	renamed := *de
	renamed.Details = maps.Clone(de.Details)
	renamed.Details["field"] = short
	renamed.Message = strings.ReplaceAll(de.Message, field, short)
	return &renamed
}
