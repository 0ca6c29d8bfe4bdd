package webui

import (
	"crypto/sha256"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// Deps are the services the pages read from.
type Deps struct {
	Tasks     *application.TaskService
	Artifacts *application.ArtifactService
	// Schedules serves the schedules page; nil leaves it out (as the API does).
	Schedules *application.ScheduleService
	Log       *slog.Logger
}

// Config is what the pages need of the service's configuration.
type Config struct {
	// APITokens turns the login form on when it holds at least one non-empty token.
	APITokens []string
	// Limits fill the submit forms' choices (sources, caps).
	Limits domain.Limits
	// RequestTimeout bounds the service calls of one page; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
}

// DefaultRequestTimeout bounds one page's reads.
const DefaultRequestTimeout = 10 * time.Second

// UI serves /ui and /docs.
type UI struct {
	deps   Deps
	cfg    Config
	keys   [][32]byte // sha256 of each API token: the keys session cookies are signed with
	pages  *pages
	assets assetSet
}

// New returns the UI, or an error naming a missing dependency.
func New(deps Deps, cfg Config) (*UI, error) {
	if deps.Tasks == nil || deps.Artifacts == nil || deps.Log == nil {
		return nil, errors.New("webui: New needs Deps.Tasks, Deps.Artifacts and Deps.Log")
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	u := &UI{deps: deps, cfg: cfg, pages: p, assets: loadAssets()}
	for _, t := range cfg.APITokens {
		if t = strings.TrimSpace(t); t != "" {
			u.keys = append(u.keys, sha256.Sum256([]byte(t)))
		}
	}
	return u, nil
}

// authOn reports whether the pages need a session (API_TOKENS set).
func (u *UI) authOn() bool { return len(u.keys) > 0 }

// Mount adds the routes through add, which the HTTP adapter gives (it labels each route
// for its logs and metrics). Routes under /ui but the login form and the assets need a
// session when auth is on.
func (u *UI) Mount(add func(method, path string, h fiber.Handler)) {
	add(fiber.MethodGet, "/docs", u.docsPage)
	add(fiber.MethodGet, "/docs/assets/:name", u.docsAsset)
	add(fiber.MethodGet, "/ui/assets/:name", u.uiAsset)
	add(fiber.MethodGet, "/ui/login", u.loginPage)
	add(fiber.MethodPost, "/ui/login", u.login)
	add(fiber.MethodPost, "/ui/logout", u.logout)

	gated := func(method, path string, h fiber.Handler) {
		add(method, path, func(c *fiber.Ctx) error { return u.gate(c, h) })
	}
	gated(fiber.MethodGet, "/ui", u.tasksPage)
	gated(fiber.MethodGet, "/ui/tasks/:id", u.taskPage)
	gated(fiber.MethodGet, "/ui/artifacts/:id", u.artifactPage)
	gated(fiber.MethodGet, "/ui/artifacts/:id/raw", u.artifactRaw)
	gated(fiber.MethodGet, "/ui/submit", u.submitPage)
	if u.deps.Schedules != nil {
		gated(fiber.MethodGet, "/ui/schedules", u.schedulesPage)
		gated(fiber.MethodGet, "/ui/schedules/preview", u.cronPreview)
	}
}
