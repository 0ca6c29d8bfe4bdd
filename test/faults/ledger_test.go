package faults

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// ledger is what the tests count per task: whose handler started it, whose handler
// completed it (returned a result: the side effect happened), and which process committed
// its terminal transition (the result that clients see).
type ledger struct {
	mu        sync.Mutex
	started   map[string][]string
	completed map[string][]string
	written   map[string][]string
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

// recordingStore is a process's task store that notes in the ledger every committed
// Update that moved a task from a live status into a terminal one.
type recordingStore struct {
	ports.TaskStore
	who string
	led *ledger
}

func (s recordingStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	var finishing bool
	t, err := s.TaskStore.Update(ctx, id, func(t *domain.Task) error {
		was := t.Status
		if err := fn(t); err != nil {
			return err
		}
		finishing = !was.Terminal() && t.Status.Terminal()
		return nil
	})
	if err == nil && finishing {
		s.led.add(s.led.written, id, s.who)
	}
	return t, err
}
