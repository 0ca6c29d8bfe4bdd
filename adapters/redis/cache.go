package redis

import (
	"context"
	"errors"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.Cache  = (*Cache)(nil)
	_ ports.Pinger = (*Cache)(nil)
)

const cacheService = "cache"

// Cache is ports.Cache on Redis strings with a millisecond TTL (SET PX), so expiry is the
// server's job and every process sees the same entries.
type Cache struct {
	client *goredis.Client
	keys   keys
}

// NewCache returns the cache stored under prefix (REDIS_PREFIX).
func NewCache(client *goredis.Client, prefix string) (*Cache, error) {
	if client == nil {
		return nil, errors.New("redis cache: client is nil")
	}
	if err := ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	return &Cache{client: client, keys: newKeys(prefix)}, nil
}

// Ping reports whether Redis answers.
func (c *Cache) Ping(ctx context.Context) error { return ping(ctx, c.client, cacheService) }

// Get implements ports.Cache.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := c.client.Get(ctx, c.keys.cache(key)).Bytes()
	switch err = translate(ctx, cacheService, err); {
	case errors.Is(err, domain.ErrNotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	return v, true, nil
}

// Set implements ports.Cache. A ttl under a millisecond is rounded up to one, the
// smallest expiry Redis keeps.
func (c *Cache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return errors.New("redis cache: ttl must be positive")
	}
	ttl = max(ttl, time.Millisecond)
	return translate(ctx, cacheService, c.client.Set(ctx, c.keys.cache(key), value, ttl).Err())
}
