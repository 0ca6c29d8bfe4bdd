package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/cronexpr"
	"taskrunner/adapters/httpapi"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

type scheduleDepsParams struct {
	fx.In
	Store ports.ScheduleStore
	Tasks *application.TaskService
	Clock ports.Clock
	IDs   *domain.IDGenerator
	Log   *slog.Logger
}

// newScheduleDeps gathers what the schedule service (API) and the scheduler (workers)
// share. A schedule's task is decoded as the API decodes POST /tasks, in the worker too,
// so a stored task fires exactly as the request it was accepted as.
func newScheduleDeps(p scheduleDepsParams) application.ScheduleDeps {
	return application.ScheduleDeps{
		Store: p.Store, Cron: cronexpr.Parser{}, Tasks: p.Tasks, Decode: httpapi.DecodeScheduledTask,
		Clock: p.Clock, IDs: p.IDs, Log: p.Log,
	}
}

// newScheduler runs in every worker process (and the one process of memory mode): the
// store hands each due time to one of them.
func newScheduler(d application.ScheduleDeps) (*application.Scheduler, error) {
	return application.NewScheduler(d, application.SchedulerConfig{})
}
