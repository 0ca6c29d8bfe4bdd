package httpapi

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// routes installs the middleware chain and every route of API.md. The order matters: the
// connection tracking for graceful stops first, then the request id (every response carries it), then logging/metrics (they see the final
// status, panics included), recovery and the per-request deadline. Auth is part of each
// protected route rather than global, so an unknown path is a 404 for everyone.
func (s *Server) routes() {
	s.app.Use(s.fresh.delivered, s.assignRequestID, s.observeRequests, s.recoverPanics, s.limitBody, s.withDeadline)

	s.app.Get("/health", labelled("/health"), s.health)
	s.app.Get("/openapi.json", labelled("/openapi.json"), s.openAPI)

	s.get("/limits", s.limits)
	if s.deps.Metrics != nil {
		s.get("/metrics", adaptor.HTTPHandler(s.deps.Metrics.Handler()))
	}

	s.post("/tasks", s.submitTask)
	s.get("/tasks", s.listTasks)
	s.get("/tasks/:id", s.getTask)
	s.post("/tasks/:id/cancel", s.cancelTask)
	s.get("/tasks/:id/artifacts", s.listTaskArtifacts)

	s.post("/search", s.searchShortcut)
	s.post("/search/batch", s.searchBatchShortcut)
	s.post("/fetch", s.fetchShortcut)

	s.post("/artifacts", s.createArtifact)
	s.get("/artifacts/:id/meta", s.getArtifactMeta)
	s.get("/artifacts/:id", s.downloadArtifact)
}

// get registers a protected GET (and, as Fiber does, HEAD) route that labels its requests
// with the route template for logs and metrics.
func (s *Server) get(path string, h fiber.Handler) {
	s.app.Get(path, labelled(path), s.authenticate, h)
}

// post registers a protected POST route.
func (s *Server) post(path string, h fiber.Handler) {
	s.app.Post(path, labelled(path), s.authenticate, h)
}

func labelled(path string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(routeKey, path)
		return c.Next()
	}
}
