package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// awaitTask answers GET /tasks/{id}?wait=N: the task once it is final, or as it stands
// after N s, or at once when the server begins to stop. The wait may outlast
// RequestTimeout (it is bounded by the 60 s cap instead), so each read of the record gets
// a RequestTimeout of its own.
func (s *Server) awaitTask(c *fiber.Ctx, wait time.Duration) error {
	id := c.Params("id")
	base := context.WithoutCancel(c.UserContext())
	read := func() (domain.Task, error) {
		ctx, cancel := context.WithTimeout(base, s.cfg.RequestTimeout)
		defer cancel()
		return s.deps.Tasks.Get(ctx, id)
	}
	t, err := s.deps.Events.Await(s.life, id, wait, read)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, newTaskView(t))
}
