package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"taskrunner/domain"
)

// opsCols are a task's operations columns (migration 0011) as pgx reads and writes them:
// retry_of, the attempt log and the running attempt's heartbeat and progress. Every one is
// NULL for a task that has none, so a fresh row carries four null bits and no bytes.
type opsCols struct {
	retryOf     *string
	attemptLog  []byte
	heartbeatAt *time.Time
	progress    []byte
}

func newOpsCols(t *domain.Task) (opsCols, error) {
	c := opsCols{heartbeatAt: t.HeartbeatAt}
	if t.RetryOf != "" {
		c.retryOf = &t.RetryOf
	}
	var err error
	if len(t.AttemptLog) > 0 {
		if c.attemptLog, err = json.Marshal(t.AttemptLog); err != nil {
			return opsCols{}, fmt.Errorf("postgres: task %s: encode attempt log: %w", t.ID, err)
		}
	}
	if t.Progress != nil {
		if c.progress, err = json.Marshal(t.Progress); err != nil {
			return opsCols{}, fmt.Errorf("postgres: task %s: encode progress: %w", t.ID, err)
		}
	}
	return c, nil
}

// fill sets t's operations fields from the columns.
func (c opsCols) fill(t *domain.Task) error {
	if c.retryOf != nil {
		t.RetryOf = *c.retryOf
	}
	t.HeartbeatAt = utcPtr(c.heartbeatAt)
	if c.attemptLog != nil {
		if err := json.Unmarshal(c.attemptLog, &t.AttemptLog); err != nil {
			return fmt.Errorf("postgres: task %s: decode attempt log: %w", t.ID, err)
		}
		for i := range t.AttemptLog {
			a := &t.AttemptLog[i]
			a.StartedAt = a.StartedAt.UTC()
			a.FinishedAt = utcPtr(a.FinishedAt)
		}
	}
	if c.progress != nil {
		t.Progress = &domain.Progress{}
		if err := json.Unmarshal(c.progress, t.Progress); err != nil {
			return fmt.Errorf("postgres: task %s: decode progress: %w", t.ID, err)
		}
	}
	return nil
}
