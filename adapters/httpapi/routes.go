package httpapi

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// routes installs the middleware chain and every route of API.md. The order matters:
// settling an unread body around everything (it acts on the final answer), the connection
// tracking for graceful stops, then the request id (every response carries it), then
// logging/metrics (they see the final status, panics included), recovery and the
// per-request deadline. Auth is part of each protected route rather than global, so an
// unknown path is a 404 for everyone; a body is read only by POST routes, after auth.
func (s *Server) routes() {
	s.app.Use(s.settleBody, s.fresh.delivered, s.assignRequestID, s.observeRequests, s.recoverPanics, s.withDeadline)

	s.app.Get("/health", labelled("/health"), s.health)
	s.app.Get("/openapi.json", labelled("/openapi.json"), s.openAPI)

	s.get("/limits", s.limits)
	if s.deps.MetricsHandler != nil {
		s.get("/metrics", adaptor.HTTPHandler(s.deps.MetricsHandler))
	}

	s.post("/tasks", s.submitTask)
	s.post("/tasks/batch", s.submitBatch)
	s.get("/tasks", s.listTasks, allowQuery("status", "type", "parent_id", "schedule_id",
		"created_after", "created_before", "limit", "cursor"))
	s.get("/tasks/:id", s.getTask, allowQuery("wait"))
	s.post("/tasks/:id/cancel", s.cancelTask)
	s.get("/tasks/:id/artifacts", s.listTaskArtifacts)
	s.post("/tasks/:id/retry", s.retryTask)
	s.get("/tasks/:id/attempts", s.taskAttempts)
	if s.deps.Deletion != nil {
		s.delete("/tasks/:id", s.deleteTask)
	}
	if s.deps.Stats != nil {
		s.get("/stats", s.stats)
	}

	s.post("/search", s.searchShortcut)
	s.post("/search/batch", s.searchBatchShortcut)
	s.post("/fetch", s.fetchShortcut)
	s.post("/research", s.researchShortcut)

	s.post("/artifacts", s.createArtifact, s.gateUpload)
	s.get("/artifacts/:id/meta", s.getArtifactMeta)
	s.get("/artifacts/:id", s.downloadArtifact)

	s.get("/runs", s.lookupRuns, allowQuery("scope", "key"))

	s.get("/events", s.streamEvents, allowQuery("task_id", "type", "status", "parent_id"))

	if s.deps.Schedules != nil {
		s.post("/schedules", s.createSchedule)
		s.get("/schedules", s.listSchedules)
		s.get("/schedules/:id", s.getSchedule)
		s.patch("/schedules/:id", s.patchSchedule)
		s.delete("/schedules/:id", s.deleteSchedule)
	}
	s.mountPages()
}

// get registers a protected GET (and, as Fiber does, HEAD) route that labels its requests
// with the route template for logs and metrics. A route that takes query parameters
// passes allowQuery(its parameters) among the gates, which run after authentication.
func (s *Server) get(path string, h fiber.Handler, gates ...fiber.Handler) {
	chain := append([]fiber.Handler{labelled(path), s.authenticate}, gates...)
	s.app.Get(path, append(chain, h)...)
}

// post registers a protected POST route. Its body is read (readBody) only after
// authentication and the gates, so a request refused by either costs no body read.
func (s *Server) post(path string, h fiber.Handler, gates ...fiber.Handler) {
	chain := append([]fiber.Handler{labelled(path), s.authenticate}, gates...)
	s.app.Post(path, append(chain, s.readBody, h)...)
}

// patch registers a protected PATCH route; its body is read after authentication, as post's.
func (s *Server) patch(path string, h fiber.Handler) {
	s.app.Patch(path, labelled(path), s.authenticate, s.readBody, h)
}

// delete registers a protected DELETE route.
func (s *Server) delete(path string, h fiber.Handler) {
	s.app.Delete(path, labelled(path), s.authenticate, h)
}

func labelled(path string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(routeKey, path)
		return c.Next()
	}
}

// PageSet is a set of browser pages (the dashboard, the API docs) served beside the API.
// It adds its routes through add, which labels them for logs and metrics; its handlers
// authenticate and read bodies themselves (pages are not bearer-token routes).
type PageSet interface {
	Mount(add func(method, path string, h fiber.Handler))
}

// mountPages adds the pages' routes, after the API's own.
func (s *Server) mountPages() {
	if s.deps.Pages == nil {
		return
	}
	s.deps.Pages.Mount(func(method, path string, h fiber.Handler) {
		s.app.Add(method, path, labelled(path), h)
	})
}
