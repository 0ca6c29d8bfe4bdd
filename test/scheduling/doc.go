// Package scheduling tests the scheduler's rules on a fake clock: the application's
// scheduler and schedule service on the memory adapters, with the real cron parser and
// the API's own task-request decoder, so a due time, a downtime or an overlap is exactly
// the moment the test sets.
package scheduling
