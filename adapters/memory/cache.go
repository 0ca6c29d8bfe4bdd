package memory

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"taskrunner/ports"
)

var (
	_ ports.Cache  = (*Cache)(nil)
	_ ports.Pinger = (*Cache)(nil)
)

// sweepEvery is how many Sets pass between sweeps of expired entries, so a cache whose
// keys are never read again does not grow without bound.
const sweepEvery = 1024

// Cache is an in-memory ports.Cache. Expired entries read as absent at once and are freed
// by a sweep every sweepEvery Sets.
type Cache struct {
	clock ports.Clock

	mu      sync.RWMutex
	entries map[string]cacheEntry
	sets    int
}

type cacheEntry struct {
	value   []byte
	expires time.Time
}

// NewCache returns an empty cache that reads time from clock.
func NewCache(clock ports.Clock) *Cache {
	return &Cache{clock: clock, entries: map[string]cacheEntry{}}
}

// Ping always succeeds: there is no backing service.
func (c *Cache) Ping(context.Context) error { return nil }

// Get returns a copy of the value, or false when the key is absent or expired.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || !c.clock.Now().Before(e.expires) {
		return nil, false, nil
	}
	return bytes.Clone(e.value), true, nil
}

// Set stores a copy of value for ttl.
func (c *Cache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ttl <= 0 {
		return fmt.Errorf("memory cache: ttl must be > 0, got %s", ttl)
	}
	now := c.clock.Now()
	v := bytes.Clone(value)
	if v == nil {
		v = []byte{} // a stored empty value reads back as present and empty
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = cacheEntry{value: v, expires: now.Add(ttl)}
	c.sets++
	if c.sets%sweepEvery == 0 {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
	}
	return nil
}
