package postgres

import (
	"context"
	"sync"
)

// OpenConns opens n connections of db's pool at once and returns them to it, so a
// benchmark measures statements, not connecting.
func OpenConns(ctx context.Context, db *DB, n int) error {
	conns := make(chan error, n)
	var mu sync.Mutex
	var held []func()
	for range n {
		go func() {
			c, err := db.pool.Acquire(ctx)
			if err == nil {
				mu.Lock()
				held = append(held, c.Release)
				mu.Unlock()
			}
			conns <- err
		}()
	}
	var first error
	for range n {
		if err := <-conns; err != nil && first == nil {
			first = err
		}
	}
	for _, release := range held {
		release()
	}
	return first
}
