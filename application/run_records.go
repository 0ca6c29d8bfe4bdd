package application

import (
	"context"
	"log/slog"

	"taskrunner/domain"
	"taskrunner/ports"
)

// runRecords writes and reads back the runs of one kind of work (searches, fetches).
type runRecords struct {
	runs  ports.RunStore
	ids   *domain.IDGenerator
	log   *slog.Logger
	event string // the log event of a failed write, e.g. "search_run_record_failed"
}

// record stores r under a fresh id. A failure is logged, not returned: the work r describes
// is done and its artifacts exist; failing the task over its record would only repeat it.
func (rs runRecords) record(ctx context.Context, r domain.Run) {
	r.ID = rs.ids.New(r.FinishedAt)
	if err := rs.runs.Record(ctx, r); err != nil {
		rs.log.WarnContext(ctx, rs.event, "key", r.Key, "task_id", r.TaskID, "error", err.Error())
	}
}

// succeededArtifacts returns the artifact ids of the latest run of key in scope when that
// run succeeded: the fallback for reuse when the cache lost its entry. It returns nil when
// there is no such run or the store failed (reuse is an optimisation, never a failure).
func (rs runRecords) succeededArtifacts(ctx context.Context, scope, key string) []string {
	run, err := rs.runs.LatestRunForKey(ctx, domain.RunKey(scope, key))
	if err != nil || run.Status != domain.RunSucceeded {
		return nil
	}
	return run.ArtifactIDs
}
