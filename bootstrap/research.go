package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/application"
	"taskrunner/ports"
)

// fanInParams are what fan-in (parents waiting on children) needs.
type fanInParams struct {
	fx.In
	Store   ports.TaskStore
	Queue   ports.Queue
	Signals ports.CancelSignals
	Clock   ports.Clock
	Log     *slog.Logger
}

// newFanIn is shared by the task service (cancel cascades), the workers (a child's end
// wakes its parent) and the reconciler (wakes a parent whose child's worker died first).
func newFanIn(p fanInParams) (*application.FanIn, error) {
	return application.NewFanIn(application.FanInDeps{
		Store: p.Store, Queue: p.Queue, Signals: p.Signals, Clock: p.Clock, Log: p.Log,
	})
}

// newResearchHandler runs research tasks over the same search deps as the search
// handlers, and validates each child with the fetch_url handler.
func newResearchHandler(p handlerParams, search application.SearchDeps, fetch application.Handler) (*application.ResearchHandler, error) {
	return application.NewResearchHandler(application.ResearchDeps{
		Search: search, Tasks: p.Tasks, Batch: p.Batch, Queue: p.BatchQueue, Fetch: fetch,
		Limits: p.Config.Limits, Log: p.Log,
	})
}
