package postgres

import (
	"context"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.RunStore = (*RunStore)(nil)

// recordRun writes a run with its metrics and notes in ONE statement: data-modifying CTEs
// run atomically, so "all or nothing" needs no transaction and costs one round trip.
// Metrics and notes arrive as parallel arrays; WITH ORDINALITY keeps their order. Written
// by hand because squirrel has no data-modifying CTEs; the placeholders are Dollar ones.
const recordRun = `
WITH run AS (
    INSERT INTO runs (id, scope, key, task_id, status, artifact_ids, started_at, finished_at)
    VALUES ($1, $2, $3, $4, $5, $6::text[]::uuid[], $7, $8)
    RETURNING id
), metrics AS (
    INSERT INTO run_metrics (run_id, position, name, value)
    SELECT run.id, m.position, m.name, m.value
    FROM run, unnest($9::text[], $10::float8[]) WITH ORDINALITY AS m (name, value, position)
)
INSERT INTO run_notes (run_id, position, note, created_at)
SELECT run.id, n.position, n.note, n.created_at
FROM run, unnest($11::text[], $12::timestamptz[]) WITH ORDINALITY AS n (note, created_at, position)`

var (
	lastFinished = mustSQL(psql.Select("max(finished_at)").From("runs").Where("key = ?", nil))
	// latestRun fetches the newest run of a key with its metrics and notes folded into
	// arrays, so reading a run is one round trip too.
	latestRun = mustSQL(psql.Select(
		"r.id", "r.scope", "r.key", "r.task_id", "r.status", "r.artifact_ids::text[]", "r.started_at", "r.finished_at",
		"ARRAY(SELECT name FROM run_metrics WHERE run_id = r.id ORDER BY position)",
		"ARRAY(SELECT value FROM run_metrics WHERE run_id = r.id ORDER BY position)",
		"ARRAY(SELECT note FROM run_notes WHERE run_id = r.id ORDER BY position)",
		"ARRAY(SELECT created_at FROM run_notes WHERE run_id = r.id ORDER BY position)",
	).From("runs r").Where("r.key = ?", nil).OrderBy("r.finished_at DESC", "r.id DESC").Limit(1))
)

// RunStore is the PostgreSQL run store.
type RunStore struct {
	db *DB
}

// NewRunStore returns a run store over db's pool.
func NewRunStore(db *DB) *RunStore { return &RunStore{db: db} }

// Record stores the run, its metrics and its notes atomically. A taken id is an error
// matching domain.ErrConflict.
func (s *RunStore) Record(ctx context.Context, r domain.Run) error {
	names := make([]string, len(r.Metrics))
	values := make([]float64, len(r.Metrics))
	for i, m := range r.Metrics {
		names[i], values[i] = m.Name, m.Value
	}
	notes := make([]string, len(r.Notes))
	noteTimes := make([]time.Time, len(r.Notes))
	for i, n := range r.Notes {
		notes[i], noteTimes[i] = n.Text, n.CreatedAt
	}
	artifactIDs := r.ArtifactIDs
	if artifactIDs == nil {
		artifactIDs = []string{}
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	_, err := s.db.pool.Exec(ctx, recordRun,
		r.ID, r.Scope, r.Key, nullString(r.TaskID), string(r.Status), artifactIDs, r.StartedAt, r.FinishedAt,
		names, values, notes, noteTimes)
	return translate(err)
}

// HasBeenProcessed reports whether any run has domain.RunKey(scope, key), and when the
// latest finished (zero time when none).
func (s *RunStore) HasBeenProcessed(ctx context.Context, scope, key string) (bool, time.Time, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	var last *time.Time
	if err := s.db.pool.QueryRow(ctx, lastFinished, domain.RunKey(scope, key)).Scan(&last); err != nil {
		return false, time.Time{}, translate(err)
	}
	if last == nil {
		return false, time.Time{}, nil
	}
	return true, last.UTC(), nil
}

// LatestRunForKey returns the most recently finished run with the full key, with metrics
// and notes in recorded order, or an error matching domain.ErrNotFound.
func (s *RunStore) LatestRunForKey(ctx context.Context, key string) (domain.Run, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	var (
		r                 domain.Run
		taskID            *string
		status            string
		names, notes      []string
		values            []float64
		noteTimes         []time.Time
		started, finished time.Time
	)
	err := s.db.pool.QueryRow(ctx, latestRun, key).Scan(
		&r.ID, &r.Scope, &r.Key, &taskID, &status, &r.ArtifactIDs, &started, &finished,
		&names, &values, &notes, &noteTimes)
	if err != nil {
		return domain.Run{}, translate(err)
	}
	if taskID != nil {
		r.TaskID = *taskID
	}
	r.Status = domain.RunStatus(status)
	r.StartedAt, r.FinishedAt = started.UTC(), finished.UTC()
	if len(r.ArtifactIDs) == 0 {
		r.ArtifactIDs = nil // as Metrics and Notes: none is nil, whatever the driver scanned
	}
	if len(names) > 0 {
		r.Metrics = make([]domain.Metric, len(names))
		for i := range names {
			r.Metrics[i] = domain.Metric{Name: names[i], Value: values[i]}
		}
	}
	if len(notes) > 0 {
		r.Notes = make([]domain.Note, len(notes))
		for i := range notes {
			r.Notes[i] = domain.Note{Text: notes[i], CreatedAt: noteTimes[i].UTC()}
		}
	}
	return r, nil
}
