package faults

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// How the ledger knows which finishes committed. A finish the store answered is counted
// when the answer arrives. A dead process never gets the answers of the calls it had on
// the wire (crashStore), yet those calls may well have committed: the worker writes its
// outcomes asynchronously (application.Worker.concludeAsync), so a loop blocks in its next
// handler while its last finish is still in flight, and a hinted finish is a single
// compare-and-swap that commits quickly. Such a finish, and one answered with an error,
// stays pending until settle looks it up in the record: the attempt log entry it wrote
// (attempt number, worker, outcome and the instant it ended, from the writer's own clock)
// is there exactly when it committed, since a terminal task never changes again.

// write is one change a process sent to its store, as the ledger follows it.
type write struct {
	id, who string
	// mark is the attempt log entry the change's last Apply closed, when that Apply
	// finished the task (live to terminal); nil otherwise.
	mark   *domain.Attempt
	state  writeState
	listed bool // in the ledger's writes
}

type writeState int

const (
	writePending   writeState = iota // no good answer: committed or not, the record says
	writeAnswered                    // the store answered that it stored it
	writeConfirmed                   // unanswered, and the record shows it committed
	writeSettled                     // unanswered, and settle found it did not commit
)

// watch wraps fn so that w.mark tells whether its last successful call finished the task,
// and with which attempt entry. fn may be called more than once (a compare-and-swap that
// missed is redone on the locked row), so each call sets the mark afresh: the store stores
// what the last call made.
func (l *ledger) watch(w *write, fn func(*domain.Task) error) func(*domain.Task) error {
	return func(t *domain.Task) error {
		was := t.Status
		err := fn(t)
		var mark *domain.Attempt
		if err == nil && !was.Terminal() && t.Status.Terminal() {
			mark = &domain.Attempt{Number: t.Attempts} // no entry: matches no record
			if n := len(t.AttemptLog); n > 0 {
				a := t.AttemptLog[n-1]
				mark = &a
			}
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		if mark != nil && !w.listed {
			w.listed = true
			l.writes = append(l.writes, w)
		}
		w.mark = mark
		return err
	}
}

// answered takes the store's answer for w: err nil means the change was stored.
func (l *ledger) answered(w *write, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w.state != writePending || w.mark == nil || err != nil {
		return // not a finish, already settled from the record, or no good answer
	}
	w.state = writeAnswered
	l.written[w.id] = append(l.written[w.id], w.who)
}

// settle counts the unanswered finishes that the record shows committed, given every
// task as read after the run, and fails the test where the ledger and the record disagree
// (see reconcile). Call it before reading written for the final checks; a finish answered
// after settle is not counted twice.
func (l *ledger) settle(t *testing.T, tasks map[string]domain.Task) {
	t.Helper()
	confirmed, problems := l.reconcile(tasks)
	if confirmed > 0 {
		t.Logf("%d finishes committed without their answer reaching the writer; counted from the record", confirmed)
	}
	require.Empty(t, problems, "the ledger and the record disagree")
}

// reconcile is settle's work: it counts the pending finishes the record shows, and returns
// how many, with every disagreement: a counted finish that ended another process's attempt
// (a write by a holder that did not hold the task), or an answered finish the record does
// not show (a store that reported a write it did not keep).
func (l *ledger) reconcile(tasks map[string]domain.Task) (confirmed int, problems []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	counted := func(w *write) bool { return w.state == writeAnswered || w.state == writeConfirmed }
	for _, w := range l.writes {
		task, ok := tasks[w.id]
		if !ok || w.mark == nil || w.state == writeSettled {
			continue
		}
		shown := recordShows(task, *w.mark)
		switch {
		case w.state == writeAnswered && !shown:
			problems = append(problems, fmt.Sprintf("task %s: %s's finish %+v was answered stored, but the record's attempts are %+v",
				w.id, w.who, *w.mark, task.AttemptLog))
		case w.state == writePending && shown && !l.countedMark(w):
			w.state = writeConfirmed
			l.written[w.id] = append(l.written[w.id], w.who)
			confirmed++
		case w.state == writePending:
			// Not committed, or the same finish as a counted one (a retry of a write whose
			// first try committed unanswered writes the same entry and is refused).
			w.state = writeSettled
		}
		if counted(w) && w.mark.Worker.Host != w.who {
			problems = append(problems, fmt.Sprintf("task %s: %s's finish ended the attempt of %s: %+v",
				w.id, w.who, w.mark.Worker.Host, *w.mark))
		}
	}
	return confirmed, problems
}

// sent reports whether who sent a finish of task id, answered or not.
func (l *ledger) sent(id, who string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, w := range l.writes {
		if w.id == id && w.who == who && w.mark != nil {
			return true
		}
	}
	return false
}

// countedMark reports whether a finish of w's task with w's very mark is counted already.
// Call with l.mu held.
func (l *ledger) countedMark(w *write) bool {
	for _, o := range l.writes {
		if o != w && o.id == w.id && (o.state == writeAnswered || o.state == writeConfirmed) && sameEntry(*o.mark, *w.mark) {
			return true
		}
	}
	return false
}

// recordShows reports whether task's attempt log holds the entry mark, ended as mark says.
func recordShows(task domain.Task, mark domain.Attempt) bool {
	for _, a := range task.AttemptLog {
		if a.Number == mark.Number && sameEntry(a, mark) {
			return true
		}
	}
	return false
}

// sameEntry compares two ended attempt entries; the instants to the microsecond, the
// finest a PostgreSQL timestamp keeps (the JSON log keeps more, but a stored copy may not).
func sameEntry(a, b domain.Attempt) bool {
	if a.Number != b.Number || a.Worker != b.Worker || a.Outcome != b.Outcome || a.Error != b.Error {
		return false
	}
	if a.FinishedAt == nil || b.FinishedAt == nil {
		return false
	}
	return a.FinishedAt.Sub(*b.FinishedAt).Abs() < time.Microsecond
}
