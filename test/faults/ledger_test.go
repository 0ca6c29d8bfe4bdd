package faults

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"taskrunner/application"
	"taskrunner/domain"
)

// ledger is what the tests count per task: whose handler started it, whose handler
// completed it (returned a result: the side effect happened), and which process committed
// its terminal transition (the result that clients see). written holds the finishes the
// store answered as stored; after settle, also those the record shows committed without
// an answer (ledger_writes_test.go).
type ledger struct {
	mu        sync.Mutex
	started   map[string][]string
	completed map[string][]string
	written   map[string][]string
	writes    []*write // every finish sent, answered or not
}

func newLedger() *ledger {
	return &ledger{started: map[string][]string{}, completed: map[string][]string{}, written: map[string][]string{}}
}

func (l *ledger) add(m map[string][]string, id, who string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m[id] = append(m[id], who)
}

// get returns a copy of one task's entries in m.
func (l *ledger) get(m map[string][]string, id string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), m[id]...)
}

// count returns how many entries of m belong to who.
func (l *ledger) count(m map[string][]string, who string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, whos := range m {
		for _, w := range whos {
			if w == who {
				n++
			}
		}
	}
	return n
}

// probe is the echo handler of one process, instrumented: it records starts and
// completions in the ledger, and runs body (the test's behaviour: a sleep, a gate) in
// between. A body error is returned as the attempt's error and is not a completion.
type probe struct {
	who  string
	led  *ledger
	body func(ctx context.Context, t domain.Task) error
}

var _ application.Handler = probe{}

func (p probe) Validate(params json.RawMessage, l domain.Limits) (json.RawMessage, error) {
	return application.NewEchoHandler().Validate(params, l)
}

func (p probe) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	p.led.add(p.led.started, t.ID, p.who)
	if p.body != nil {
		if err := p.body(ctx, t); err != nil {
			return nil, err
		}
	}
	p.led.add(p.led.completed, t.ID, p.who)
	return json.Marshal(map[string]any{"by": p.who, "attempt": t.Attempts})
}

// sleepFor waits d or until ctx ends (then it returns ctx's error).
func sleepFor(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// recordingStore is a process's task store that notes in the ledger every change, through
// Update or UpdateMany, that moved a task from a live status into a terminal one (a
// finish). It passes every change on as it came, hints included, so the fault suite runs
// the store's production path (the hinted start and compare-and-swap finish). A finish
// whose result came back is counted at once; one whose answer never arrived (the process
// died with it on the wire) or came back as an error may still have committed, so it
// waits in the ledger until settle checks it against the record (ledger_writes_test.go).
type recordingStore struct {
	taskStore
	who string
	led *ledger
}

func (s recordingStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	w := &write{id: id, who: s.who}
	t, err := s.taskStore.Update(ctx, id, s.led.watch(w, fn))
	s.led.answered(w, err)
	return t, err
}

// UpdateMany is how the batched worker starts and finishes tasks: each change is watched
// as Update watches its fn, and each answer settles its own change.
func (s recordingStore) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	watched := make([]domain.TaskChange, len(changes))
	writes := make([]*write, len(changes))
	for i, c := range changes {
		writes[i] = &write{id: c.ID, who: s.who}
		watched[i] = c // Start and Seen too: the store's hinted writes are what production runs
		watched[i].Apply = s.led.watch(writes[i], c.Apply)
	}
	res, err := s.taskStore.UpdateMany(ctx, watched)
	for i, w := range writes {
		switch {
		case err != nil:
			s.led.answered(w, err)
		case i < len(res):
			s.led.answered(w, res[i].Err)
		}
	}
	return res, err
}
