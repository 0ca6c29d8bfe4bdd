package domain

import "fmt"

// LostLeaseAllowance is how many times a task may be started again after its worker
// vanished (crash, lost lease) on top of its retries. Past it the task is failed instead of
// run once more, so a task that kills every worker that picks it up cannot cycle forever.
const LostLeaseAllowance = 3

// MaxStarts is how many attempts a task may start in all: the first run, its retries and
// the allowance for lost workers.
func (t *Task) MaxStarts() int { return t.MaxRetries + 1 + LostLeaseAllowance }

// StartsExhausted reports whether t has been started more often than MaxStarts allows;
// a worker checks it right after Start and fails the task instead of running it.
func (t *Task) StartsExhausted() bool { return t.Attempts > t.MaxStarts() }

// LostTooOften is the error of a task failed because workers kept losing it.
func LostTooOften(t *Task) TaskError {
	return TaskError{Code: CodeInternal, Message: fmt.Sprintf(
		"workers lost this task too many times (%d attempts started); giving up", t.Attempts)}
}
