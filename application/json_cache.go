package application

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"taskrunner/ports"
)

// jsonCache keeps JSON-encoded values in a ports.Cache for ttl; a ttl of zero or less turns
// it off. Its failures are logged and read as misses, never returned: a cache outage costs
// only the provider calls or fetches it would have saved.
type jsonCache struct {
	cache ports.Cache
	ttl   time.Duration
	log   *slog.Logger
	event string // the log event of a failure, e.g. "search_cache_failed"
}

// get decodes the value under key into v. It reports false when caching is off, the key is
// absent or unreadable, or the cache failed.
func (c jsonCache) get(ctx context.Context, key string, v any) bool {
	if c.ttl <= 0 {
		return false
	}
	b, ok, err := c.cache.Get(ctx, key)
	if err != nil {
		c.log.WarnContext(ctx, c.event, "op", "get", "error", err.Error())
		return false
	}
	return ok && json.Unmarshal(b, v) == nil
}

// set stores v under key for the ttl (nothing when caching is off).
func (c jsonCache) set(ctx context.Context, key string, v any) {
	if c.ttl <= 0 {
		return
	}
	b, err := json.Marshal(v)
	if err == nil {
		err = c.cache.Set(ctx, key, b, c.ttl)
	}
	if err != nil {
		c.log.WarnContext(ctx, c.event, "op", "set", "error", err.Error())
	}
}
