package redis

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// DefaultPrefix is the key prefix when REDIS_PREFIX is not set.
const DefaultPrefix = "taskrunner"

// Timeouts for every call on a connection. readTimeout must stay above maxBlock, the
// longest BLMOVE a consumer issues, or idle consumers would time out instead of blocking.
const (
	dialTimeout  = 5 * time.Second
	readTimeout  = 3 * time.Second
	writeTimeout = 3 * time.Second
	pingTimeout  = 2 * time.Second
)

// Config says where Redis is and how to use it. The bootstrap fills it from REDIS_URL,
// REDIS_PREFIX and the worker concurrency; this package never reads the environment.
type Config struct {
	// URL is a redis:// or rediss:// URL (user, password and database index included).
	URL string
	// Prefix keeps deployments and tests sharing a server apart; see ValidatePrefix.
	Prefix string
	// PoolSize is the connection pool size (0: go-redis's default, 10 per CPU). Every
	// consumer blocked in Dequeue holds a connection, so a worker process needs at least
	// its concurrency plus a few for acks, heartbeats and the API.
	PoolSize int
	// Log receives go-redis's own messages as event redis_client (see clientlog.go); nil
	// keeps them out of every output.
	Log *slog.Logger
}

// Connect opens a client for cfg and checks that the server answers, so a wrong URL
// fails with a clear error. The caller closes the client.
func Connect(ctx context.Context, cfg Config) (*goredis.Client, error) {
	client, err := NewClient(cfg)
	if err != nil {
		return nil, err
	}
	if err := Ping(ctx, client); err != nil {
		_ = client.Close()
		return nil, err
	}
	return client, nil
}

// NewClient returns a client for cfg without talking to the server (connections open on
// first use), so a process can be assembled before its start-up context exists; Ping then
// checks the server within that context. It fails only on a bad URL or prefix. The caller
// closes the client.
func NewClient(cfg Config) (*goredis.Client, error) {
	if err := ValidatePrefix(cfg.Prefix); err != nil {
		return nil, err
	}
	routeClientLog(cfg.Log)
	opt, err := goredis.ParseURL(cfg.URL)
	if err != nil {
		// ParseURL errors can echo the URL, password included: keep them out.
		return nil, fmt.Errorf("redis URL is not valid (expected redis://[user:password@]host:port/db)")
	}
	if cfg.PoolSize > 0 {
		opt.PoolSize = cfg.PoolSize
	}
	opt.DialTimeout = dialTimeout
	opt.ReadTimeout = readTimeout
	opt.WriteTimeout = writeTimeout
	return goredis.NewClient(opt), nil
}

// Ping checks that the server behind client answers, within ctx and at most pingTimeout;
// it returns an error matching domain.ErrUnavailable when it does not.
func Ping(ctx context.Context, client *goredis.Client) error { return ping(ctx, client, "redis") }

// ping checks that the server answers, within pingTimeout.
func ping(ctx context.Context, client *goredis.Client, service string) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	return translate(ctx, service, client.Ping(ctx).Err())
}
