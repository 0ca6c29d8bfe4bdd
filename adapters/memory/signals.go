package memory

import (
	"context"
	"sync"

	"taskrunner/ports"
)

var (
	_ ports.CancelSignals = (*CancelSignals)(nil)
	_ ports.Pinger        = (*CancelSignals)(nil)
)

// signalBuffer is each subscriber's buffer. Publish never blocks: when a subscriber has
// this many undelivered ids, further ids for it are dropped (delivery is best effort; the
// worker also sees CancelRequested on the record).
const signalBuffer = 1024

// CancelSignals is an in-memory ports.CancelSignals: Publish fans out to every current
// subscriber without blocking.
type CancelSignals struct {
	mu   sync.RWMutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	ch chan string
}

// NewCancelSignals returns a broadcaster with no subscribers.
func NewCancelSignals() *CancelSignals {
	return &CancelSignals{subs: map[*subscriber]struct{}{}}
}

// Ping always succeeds: there is no backing service.
func (s *CancelSignals) Ping(context.Context) error { return nil }

// Publish sends taskID to every current subscriber, dropping it for any whose buffer is full.
func (s *CancelSignals) Publish(ctx context.Context, taskID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// The read lock keeps unsubscribe (which closes channels under the write lock) out
	// while sending, so a send never hits a closed channel.
	s.mu.RLock()
	defer s.mu.RUnlock()
	for sub := range s.subs {
		select {
		case sub.ch <- taskID:
		default: // full: drop rather than stall the publisher
		}
	}
	return nil
}

// Subscribe registers a subscriber; its channel is closed when ctx ends.
func (s *CancelSignals) Subscribe(ctx context.Context) (<-chan string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sub := &subscriber{ch: make(chan string, signalBuffer)}
	s.mu.Lock()
	s.subs[sub] = struct{}{}
	s.mu.Unlock()
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		delete(s.subs, sub)
		close(sub.ch)
		s.mu.Unlock()
	})
	return sub.ch, nil
}
