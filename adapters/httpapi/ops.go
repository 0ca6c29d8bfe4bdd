package httpapi

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// Check values reported by GET /health.
const (
	checkOK          = "ok"
	checkUnavailable = "unavailable"
	checkTimeout     = "timeout"
)

// health pings every backing service concurrently, each within HealthTimeout, so one slow
// service cannot hide the state of the others or hang the probe. One round of pings
// answers every call for HealthCacheTTL (calls meanwhile share it), so the endpoint, open
// to anyone, cannot make the server hammer its services. It answers 200 when all are up,
// else 503 with the error body (naming the failing checks) plus the same status and
// checks fields as the 200, so probes can read either.
func (s *Server) health(c *fiber.Ctx) error {
	// The round outlives this request's cancellation: callers waiting on it share it. A
	// round never fails: a failing probe is a state in its map.
	ctx := context.WithoutCancel(c.UserContext())
	checks, _ := s.checks.Get(func() (map[string]string, error) { return s.runChecks(ctx), nil })
	var failing []string
	for name, state := range checks {
		if state != checkOK {
			failing = append(failing, name)
		}
	}
	sort.Strings(failing)
	if len(failing) == 0 {
		return writeJSON(c, http.StatusOK, map[string]any{"status": "ok", "checks": checks})
	}
	msg := "unhealthy: " + failing[0] + " is " + checks[failing[0]]
	for _, name := range failing[1:] {
		msg += ", " + name + " is " + checks[name]
	}
	return writeJSON(c, http.StatusServiceUnavailable, map[string]any{
		"status": "unavailable",
		"checks": checks,
		"error": errorPayload{Code: domain.CodeUnavailable, Message: msg,
			Details: map[string]any{"failing": failing, "checks": checks}},
	})
}

func (s *Server) runChecks(ctx context.Context) map[string]string {
	checks := make(map[string]string, len(s.deps.Health))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, p := range s.deps.Health {
		wg.Go(func() {
			pctx, cancel := context.WithTimeout(ctx, s.cfg.HealthTimeout)
			defer cancel()
			state := checkOK
			if err := p.Ping(pctx); err != nil {
				state = checkUnavailable
				if errors.Is(err, context.DeadlineExceeded) || pctx.Err() != nil {
					state = checkTimeout
				}
				s.log.WarnContext(ctx, "health_check_failed", "check", name, "state", state, "error", err.Error())
			}
			mu.Lock()
			checks[name] = state
			mu.Unlock()
		})
	}
	wg.Wait()
	return checks
}

// limitsView is GET /limits: the effective limits, no secrets.
type limitsView struct {
	TaskMaxRuntimeSeconds int      `json:"task_max_runtime_seconds"`
	TaskMaxArtifactMB     int      `json:"task_max_artifact_mb"`
	TasksPerMinute        int      `json:"tasks_per_minute"`
	SearchSourceAllowlist []string `json:"search_source_allowlist"`
	SearchMaxResults      int      `json:"search_max_results"`
	FetchDomainAllowlist  []string `json:"fetch_domain_allowlist"`
	FetchAllowedPorts     []string `json:"fetch_allowed_ports"`
	MaxBatchSize          int      `json:"max_batch_size"`
	TaskRetentionDays     int      `json:"task_retention_days"`
	SearchDefaultSources  []string `json:"search_default_sources"`
	// The settings (see Settings), in the units of their variables.
	WebhookMaxAttempts          int   `json:"webhook_max_attempts"`
	WebhookAllowPrivateNetworks bool  `json:"webhook_allow_private_networks"`
	FetchHostMinIntervalMS      int64 `json:"fetch_host_min_interval_ms"`
	FetchRespectRobots          bool  `json:"fetch_respect_robots"`
	FetchRobotsTTLSeconds       int64 `json:"fetch_robots_ttl_seconds"`
}

func (s *Server) limits(c *fiber.Ctx) error {
	l, st := s.cfg.Limits, s.cfg.Settings
	return writeJSON(c, http.StatusOK, limitsView{
		TaskMaxRuntimeSeconds: l.TaskMaxRuntimeSeconds,
		TaskMaxArtifactMB:     l.TaskMaxArtifactMB,
		TasksPerMinute:        l.TasksPerMinute,
		SearchSourceAllowlist: nonNil(l.SearchSourceAllowlist),
		SearchMaxResults:      l.SearchMaxResults,
		FetchDomainAllowlist:  nonNil(l.FetchDomainAllowlist),
		FetchAllowedPorts:     nonNil(l.FetchAllowedPorts),
		MaxBatchSize:          l.MaxBatchSize,
		TaskRetentionDays:     l.TaskRetentionDays,
		SearchDefaultSources:  searchDefaultSources(l),

		WebhookMaxAttempts:          st.WebhookMaxAttempts,
		WebhookAllowPrivateNetworks: st.WebhookAllowPrivateNetworks,
		FetchHostMinIntervalMS:      st.FetchHostMinInterval.Milliseconds(),
		FetchRespectRobots:          st.FetchRespectRobots,
		FetchRobotsTTLSeconds:       int64(st.FetchRobotsTTL / time.Second),
	})
}

// searchDefaultSources are the sources a search that names none queries, as the search
// itself resolves them (domain.ResolveSources). Defaults the allowlist refuses are shown
// as configured: such a search fails naming them.
func searchDefaultSources(l domain.Limits) []string {
	if names, err := domain.ResolveSources(nil, l); err == nil {
		return names
	}
	if len(l.SearchDefaultSources) > 0 {
		return l.SearchDefaultSources
	}
	return []string{domain.DefaultSearchSource}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Status(http.StatusOK).Send(openAPIDocument)
}
