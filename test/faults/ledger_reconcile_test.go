package faults

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// TestLedgerReconcile checks the ledger's own accounting against made-up records, so that
// the fault tests' exactly-once checks stay able to fail: an unanswered finish counts only
// when the record shows it, once however often it was retried, and a finish that ended
// another process's attempt, or one answered but absent from the record, is reported.
func TestLedgerReconcile(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 30, 12, 0, 0, 123456000, time.UTC)
	entry := func(n int, host string, o domain.AttemptOutcome) domain.Attempt {
		end := at.Add(time.Duration(n) * time.Second)
		return domain.Attempt{Number: n, Worker: domain.WorkerID{Host: host, PID: 7}, StartedAt: at, FinishedAt: &end, Outcome: o}
	}
	record := func(id string, log ...domain.Attempt) domain.Task {
		return domain.Task{ID: id, Status: domain.StatusSucceeded, Attempts: len(log), AttemptLog: log}
	}
	// finish sends w through the ledger as recordingStore does: Apply closes mark, then the
	// answer (nil: stored; errDead: none arrived).
	finish := func(l *ledger, id, who string, mark domain.Attempt, answer error) {
		w := &write{id: id, who: who}
		apply := l.watch(w, func(task *domain.Task) error {
			task.Status, task.Attempts, task.AttemptLog = domain.StatusSucceeded, mark.Number, []domain.Attempt{mark}
			return nil
		})
		task := domain.Task{ID: id, Status: domain.StatusRunning}
		require.NoError(t, apply(&task))
		l.answered(w, answer)
	}

	t.Run("an unanswered finish counts when the record shows it", func(t *testing.T) {
		l := newLedger()
		mine := entry(1, "a", domain.AttemptSucceeded)
		finish(l, "t1", "a", mine, errDead)
		require.Empty(t, l.get(l.written, "t1"), "not counted before the record is read")
		n, problems := l.reconcile(map[string]domain.Task{"t1": record("t1", mine)})
		require.Empty(t, problems)
		require.Equal(t, 1, n)
		require.Equal(t, []string{"a"}, l.get(l.written, "t1"))
		n, _ = l.reconcile(map[string]domain.Task{"t1": record("t1", mine)})
		require.Zero(t, n, "settled once")
		require.Equal(t, []string{"a"}, l.get(l.written, "t1"))
	})
	t.Run("an unanswered finish the record does not show does not count", func(t *testing.T) {
		l := newLedger()
		finish(l, "t1", "a", entry(1, "a", domain.AttemptSucceeded), errDead)
		n, problems := l.reconcile(map[string]domain.Task{"t1": record("t1",
			entry(1, "a", domain.AttemptLost), entry(2, "b", domain.AttemptSucceeded))})
		require.Empty(t, problems)
		require.Zero(t, n)
		require.Empty(t, l.get(l.written, "t1"))
	})
	t.Run("a retried finish counts once", func(t *testing.T) {
		l := newLedger()
		mine := entry(1, "a", domain.AttemptSucceeded)
		finish(l, "t1", "a", mine, errDead)
		finish(l, "t1", "a", mine, nil)
		_, problems := l.reconcile(map[string]domain.Task{"t1": record("t1", mine)})
		require.Empty(t, problems)
		require.Equal(t, []string{"a"}, l.get(l.written, "t1"))
	})
	t.Run("two committed finishes both count", func(t *testing.T) {
		l := newLedger()
		first, second := entry(1, "a", domain.AttemptSucceeded), entry(2, "b", domain.AttemptSucceeded)
		finish(l, "t1", "a", first, errDead)
		finish(l, "t1", "b", second, nil)
		_, problems := l.reconcile(map[string]domain.Task{"t1": record("t1", first, second)})
		require.Empty(t, problems)
		require.Equal(t, []string{"b", "a"}, l.get(l.written, "t1"), "the exactly-once checks then fail")
	})
	t.Run("a finish of another process's attempt is reported", func(t *testing.T) {
		l := newLedger()
		theirs := entry(2, "b", domain.AttemptSucceeded)
		finish(l, "t1", "a", theirs, nil)
		_, problems := l.reconcile(map[string]domain.Task{"t1": record("t1", entry(1, "a", domain.AttemptLost), theirs)})
		require.Len(t, problems, 1)
		require.Contains(t, problems[0], "ended the attempt of b")
	})
	t.Run("an answered finish the record does not show is reported", func(t *testing.T) {
		l := newLedger()
		finish(l, "t1", "a", entry(1, "a", domain.AttemptSucceeded), nil)
		_, problems := l.reconcile(map[string]domain.Task{"t1": record("t1", entry(1, "a", domain.AttemptFailed))})
		require.Len(t, problems, 1)
		require.Contains(t, problems[0], "answered stored")
	})
}
