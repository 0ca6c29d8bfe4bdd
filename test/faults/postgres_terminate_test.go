package faults

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/domain"
	"taskrunner/test/apptest"
)

// TestPostgresConnectionsTerminated: an api app and a worker app (services mode, fx, in
// this process) take 240 submissions over HTTP from 8 clients while an admin connection
// terminates every backend of the database (pg_terminate_backend) every 20 ms. Clients
// retry a 503; half of them send an idempotency key, half do not.
//
// What must survive:
//   - the API answers every submission 202 (or 200 for a keyed retry whose earlier attempt
//     was written after all) or 503 `unavailable` when its connection was cut, never 500;
//   - a 202 is only given for a task that exists (read back at once, it is never 404);
//   - every accepted task succeeds: none is lost; so does every task written although its
//     client was told 503 (nobody waits for it, but it must not be stuck); a key never
//     gets two tasks.
func TestPostgresConnectionsTerminated(t *testing.T) {
	t.Parallel()
	runPostgresFault(t, false)
}

// TestPostgresRefusesConnections is TestPostgresConnectionsTerminated with, half-way
// through, a spell during which the database also refuses new connections (ALTER DATABASE
// ... ALLOW_CONNECTIONS false, as during maintenance), so the API cannot write at all.
//
// What must survive, beyond what TestPostgresConnectionsTerminated checks: while the API
// cannot write it answers 503 `unavailable` (never 500), and once connections are allowed
// again it accepts tasks again.
func TestPostgresRefusesConnections(t *testing.T) {
	t.Parallel()
	runPostgresFault(t, true)
}

// Phases of runPostgresFault, as seen by the clients.
const (
	phaseStorm int32 = iota
	phaseOutage
	phaseAfter
)

func runPostgresFault(t *testing.T, withOutage bool) {
	s := setup(t)
	const submissions, clients = 240, 8

	c := apptest.Config(t, bootstrap.ModeServices)
	apptest.UseServices(t, &c, s.dbURL, s.redis)
	c.WorkerConcurrency = 8
	c.ReconcileInterval = 500 * time.Millisecond
	api := apptest.StartAPI(t, c, bootstrap.RoleAPI, s.logs)
	apptest.Start(t, c, bootstrap.RoleWorker, s.logs)
	// One connection per client, kept between its submissions.
	api.HTTP = &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}

	admin := newDBAdmin(t, s.dbURL)
	var (
		accepted atomic.Int64 // submissions answered 202 or 200
		phase    atomic.Int32
		seen     [3][600]atomic.Int64 // answers by phase and status
		inPhase  [3]atomic.Int64      // answers by phase
	)
	faultsDone := make(chan struct{})
	go func() {
		defer close(faultsDone)
		admin.run(t, func(p int32) bool {
			switch {
			case p == phaseOutage:
				return inPhase[phaseOutage].Load() < 20
			case p == phaseStorm && withOutage:
				return accepted.Load() < submissions/2
			default:
				return accepted.Load() < 3*submissions/4
			}
		}, withOutage, &phase)
	}()

	results := make([]submission, submissions)
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < submissions; k += clients {
				results[k] = submitUntilAccepted(t, api, k, k%2 == 0, func(status int) {
					p := phase.Load()
					inPhase[p].Add(1)
					if status > 0 && status < len(seen[p]) {
						seen[p][status].Add(1)
					}
				})
				if results[k].err == nil {
					accepted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	<-faultsDone

	// Every answer is checked and the wrong ones reported together (the test goes on to
	// check that nothing was lost), so one run shows every way the API misbehaved.
	answers := map[int]int{}
	var unavailable int
	var wrong []string
	for k, r := range results {
		require.NoError(t, r.err, "submission %d", k)
		for _, a := range r.answers {
			answers[a.status]++
			switch {
			case a.status == http.StatusAccepted:
			case a.status == http.StatusOK && r.keyed:
			case a.status == http.StatusServiceUnavailable && a.code == string(domain.CodeUnavailable):
				unavailable++
			default:
				wrong = append(wrong, fmt.Sprintf("POST /tasks (submission %d) answered %d: %s", k, a.status, a.body))
			}
		}
		if r.answers[len(r.answers)-1].status == http.StatusAccepted &&
			r.readBack != http.StatusOK && r.readBack != http.StatusServiceUnavailable {
			// 404 would be a 202 for a task that does not exist.
			wrong = append(wrong, fmt.Sprintf("GET /tasks/%s right after its 202 answered %d", r.id, r.readBack))
		}
	}
	if len(wrong) > 0 {
		t.Errorf("%d wrong answers (answers by status: %v); the first:\n%s", len(wrong), answers, strings.Join(wrong[:min(len(wrong), 5)], "\n"))
	}
	t.Logf("answers by status: %v; %d backends terminated; outage of %s", answers, admin.terminated.Load(), admin.outageLasted)
	require.Positive(t, admin.terminated.Load(), "the fault struck")
	require.Positive(t, answers[http.StatusServiceUnavailable], "some request lost its connection")
	if withOutage {
		// Not fatal (t.Errorf, not require): whether anything was lost is still worth
		// knowing when these fail.
		if admin.outageLasted <= 0 {
			t.Errorf("the outage never ran")
		}
		if n := seen[phaseOutage][http.StatusServiceUnavailable].Load(); n < 5 {
			t.Errorf("%d 503s while the database refused connections, want at least 5 (answers then: %d)", n, inPhase[phaseOutage].Load())
		}
		if seen[phaseAfter][http.StatusAccepted].Load() == 0 {
			t.Errorf("the API never accepted again after the outage")
		}
	}

	// Every accepted task, and every task written at all, finishes.
	p := s.process(t, "checker")
	all := waitAllSucceeded(t, p, submissions)
	byKey := map[string]string{}
	for _, task := range all {
		if task.IdempotencyKey != "" {
			require.Empty(t, byKey[task.IdempotencyKey], "key %s has two tasks", task.IdempotencyKey)
			byKey[task.IdempotencyKey] = task.ID
		}
	}
	attempts := map[int]int{}
	for _, task := range all {
		attempts[task.Attempts]++
	}
	// More than one start means a worker lost an attempt to the fault (its result write
	// failed) and the task was delivered again after the lease: allowed, and worth seeing.
	t.Logf("tasks by attempts started: %v", attempts)
	ids := map[string]bool{}
	for k, r := range results {
		task, ok := all[r.id]
		require.True(t, ok, "submission %d: accepted task %s is not in the record", k, r.id)
		require.Equal(t, domain.StatusSucceeded, task.Status, "submission %d", k)
		require.JSONEq(t, fmt.Sprintf(`{"i":%d}`, k), string(task.Result), "submission %d", k)
		if r.keyed {
			require.Equal(t, byKey[r.key], r.id, "submission %d: the key's task", k)
		}
		ids[r.id] = true
	}
	orphans := len(all) - len(ids)
	require.LessOrEqual(t, orphans, unavailable, "tasks nobody was told about only come from answers of 503")
	t.Logf("%d tasks; %d written although their client was told 503 (retried without a key)", len(all), orphans)
}

// waitAllSucceeded waits until at least atLeast tasks exist and every task in the record has
// succeeded (failing at once if one fails or is cancelled), and returns them all by id.
func waitAllSucceeded(t *testing.T, p *process, atLeast int) map[string]domain.Task {
	t.Helper()
	eventually(t, "every task in the record to succeed", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		counts, err := p.store.CountByTypeStatus(ctx)
		if err != nil {
			return false, err.Error()
		}
		byStatus := counts[domain.TaskEcho]
		var total int64
		for _, n := range byStatus {
			total += n
		}
		if byStatus[domain.StatusFailed]+byStatus[domain.StatusCancelled] > 0 {
			t.Fatalf("tasks ended badly: %v", byStatus)
		}
		return total >= int64(atLeast) && byStatus[domain.StatusSucceeded] == total, fmt.Sprintf("by status %v", byStatus)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	all := map[string]domain.Task{}
	f := domain.TaskFilter{Limit: 500}
	for {
		page, err := p.store.List(ctx, f)
		require.NoError(t, err)
		for _, task := range page.Tasks {
			all[task.ID] = task
		}
		if page.NextAfter == "" {
			return all
		}
		f.After = page.NextAfter
	}
}
