package application

import (
	"context"
	"fmt"
	"sync"
)

// background is the lifecycle of a service's one loop goroutine (the reconciler, the
// retention passes, the promoter, the scheduler, the webhook deliverer): Start runs the
// loop on a context that outlives the start context, Stop cancels it and waits for the
// loop to return. A service is started once; Stop is idempotent and safe before Start.
type background struct {
	mu   sync.Mutex
	stop context.CancelFunc
	done chan struct{}
}

// start runs loop in the background, or fails when it ran before (name says what).
func (b *background) start(ctx context.Context, name string, loop func(context.Context)) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stop != nil {
		return fmt.Errorf("application: %s already started", name)
	}
	life, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	b.stop, b.done = stop, done
	go func() {
		defer close(done)
		loop(life)
	}()
	return nil
}

// halt cancels the loop and waits for it to return, or for ctx to end.
func (b *background) halt(ctx context.Context) error {
	b.mu.Lock()
	stop, done := b.stop, b.done
	b.mu.Unlock()
	if stop == nil {
		return nil
	}
	stop()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
