package memory

import (
	"context"
	"sync"
	"sync/atomic"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskEvents = (*TaskEvents)(nil)

// DefaultTaskEventBuffer is each subscriber's buffer in events.
const DefaultTaskEventBuffer = 4096

// TaskEvents is the in-process ports.TaskEvents of memory mode: Publish hands every event
// to each subscriber's bounded buffer without waiting. A subscriber whose buffer is full
// loses the event, and the next event it does get says so (Missed), so a slow reader never
// slows a writer.
type TaskEvents struct {
	buffer int
	mu     sync.RWMutex
	subs   map[*eventSubscriber]struct{}
}

type eventSubscriber struct {
	ch     chan domain.TaskEvent
	missed atomic.Bool
}

// NewTaskEvents returns a feed with no subscribers whose subscribers buffer up to buffer
// events (DefaultTaskEventBuffer when buffer <= 0).
func NewTaskEvents(buffer int) *TaskEvents {
	if buffer <= 0 {
		buffer = DefaultTaskEventBuffer
	}
	return &TaskEvents{buffer: buffer, subs: map[*eventSubscriber]struct{}{}}
}

// Publish implements ports.TaskEvents. Each subscriber gets its own copy of every task.
func (e *TaskEvents) Publish(ctx context.Context, tasks []domain.Task) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// The read lock keeps an unsubscribe (which closes the channel under the write lock)
	// out while sending.
	e.mu.RLock()
	defer e.mu.RUnlock()
	for sub := range e.subs {
		for _, t := range tasks {
			ev := domain.TaskEvent{Task: t.Clone(), Missed: sub.missed.Load()}
			ev.Task.ClientID = ""
			select {
			case sub.ch <- ev:
				if ev.Missed {
					sub.missed.Store(false)
				}
			default:
				sub.missed.Store(true)
			}
		}
	}
	return nil
}

// Subscribe implements ports.TaskEvents.
func (e *TaskEvents) Subscribe(ctx context.Context) (<-chan domain.TaskEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sub := &eventSubscriber{ch: make(chan domain.TaskEvent, e.buffer)}
	e.mu.Lock()
	e.subs[sub] = struct{}{}
	e.mu.Unlock()
	context.AfterFunc(ctx, func() {
		e.mu.Lock()
		delete(e.subs, sub)
		close(sub.ch)
		e.mu.Unlock()
	})
	return sub.ch, nil
}
