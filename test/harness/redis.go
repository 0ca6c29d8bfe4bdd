package harness

import (
	"context"
	"fmt"
	neturl "net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	tcredis "github.com/testcontainers/testcontainers-go/modules/redis"

	redisadapter "taskrunner/adapters/redis"
)

// Environment variables read by Redis. (Names carry a redis prefix: other files of this
// package define their own, and nothing here may collide with them.)
const (
	// redisEnvURL is the URL of a server the tests may write under their own prefixes, e.g.
	// redis://127.0.0.1:6379/0. It is never flushed.
	redisEnvURL = "TEST_REDIS_URL"
)

const (
	redisImage        = "redis:7-alpine"
	redisSetupTimeout = 2 * time.Minute
	redisOpTimeout    = 30 * time.Second
	// redisPoolSize covers a test's blocked consumers plus its other calls.
	redisPoolSize = 64
)

// RedisTarget is one test's slice of a Redis server: its own key prefix.
type RedisTarget struct {
	// URL is the server's redis:// URL, for tests that open more clients (a second
	// "process").
	URL string
	// Prefix is unique to the test; every key under it is deleted when the test ends.
	Prefix string
	// Client is connected to URL and closed when the test ends. Its connections are named
	// after Prefix (CLIENT SETNAME), so a test can find them with RedisBlocked.
	Client *goredis.Client
}

// redisServer is the server every test of this process uses, found once.
var redisServer struct {
	once sync.Once
	url  string
	skip string // why no server is available; "" when url is set
}

// Redis returns a server URL, a fresh key prefix and a client. The shared server is never
// flushed: when the test ends, the keys under its prefix are deleted (SCAN + UNLINK), so
// tests using it can run in parallel.
func Redis(t testing.TB) RedisTarget {
	t.Helper()
	url := redisServerURL(t)
	prefix := "test-" + randomHex(8)

	ctx, cancel := context.WithTimeout(context.Background(), redisOpTimeout)
	defer cancel()
	client, err := redisadapter.Connect(ctx, redisadapter.Config{URL: redisNamed(url, prefix), Prefix: prefix, PoolSize: redisPoolSize})
	if err != nil {
		t.Fatalf("harness: connect to Redis at %s: %v", redisEnvURL, err)
	}
	t.Cleanup(func() {
		defer func() { _ = client.Close() }()
		ctx, cancel := context.WithTimeout(context.Background(), redisOpTimeout)
		defer cancel()
		if err := RedisDeletePrefix(ctx, client, prefix); err != nil {
			t.Errorf("harness: delete keys of prefix %s: %v", prefix, err)
		}
	})
	return RedisTarget{URL: url, Prefix: prefix, Client: client}
}

// redisNamed returns url with client_name set, which go-redis sends as CLIENT SETNAME on
// every connection it opens.
func redisNamed(raw, name string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return raw // redisServerURL checked it already; Connect reports it otherwise
	}
	q := u.Query()
	q.Set("client_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// RedisBlocked returns how many connections of target's client are blocked in a command
// (BLMOVE, say) on the server: how a test waits for consumers to block instead of
// sleeping.
func RedisBlocked(ctx context.Context, target RedisTarget) (int, error) {
	list, err := target.Client.ClientList(ctx).Result()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, line := range strings.Split(list, "\n") {
		var named, blocked bool
		for _, field := range strings.Fields(line) {
			switch {
			case field == "name="+target.Prefix:
				named = true
			case strings.HasPrefix(field, "flags="):
				blocked = strings.Contains(strings.TrimPrefix(field, "flags="), "b")
			}
		}
		if named && blocked {
			n++
		}
	}
	return n, nil
}

// RedisDeletePrefix deletes every key under prefix (SCAN + UNLINK), leaving the rest of the
// server alone. Tests also use it to simulate Redis losing its data.
func RedisDeletePrefix(ctx context.Context, client *goredis.Client, prefix string) error {
	iter := client.Scan(ctx, 0, redisadapter.KeyPattern(prefix), 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := client.Unlink(ctx, batch...).Err(); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := iter.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		return client.Unlink(ctx, batch...).Err()
	}
	return nil
}

// redisServerURL returns the test server's URL, or skips (fails under
// TEST_REQUIRE_SERVICES=1) when there is none. Under -short it always skips.
func redisServerURL(t testing.TB) string {
	t.Helper()
	skipShort(t, "Redis")
	redisServer.once.Do(func() { redisServer.url, redisServer.skip = findRedis() })
	if redisServer.skip != "" {
		skipOrFail(t, "Redis", redisServer.skip, fmt.Sprintf("To run this test set %s, e.g. %s=redis://127.0.0.1:6379/0 "+
			"(tests write only under their own key prefixes), or start Docker", redisEnvURL, redisEnvURL))
	}
	return redisServer.url
}

// findRedis takes the server from TEST_REDIS_URL, else starts a container. The container
// lives as long as the test process; testcontainers' reaper removes it after.
func findRedis() (url, skip string) {
	if raw := strings.TrimSpace(os.Getenv(redisEnvURL)); raw != "" {
		if _, err := goredis.ParseURL(raw); err != nil {
			return "", redisEnvURL + " is not a redis:// URL"
		}
		return raw, ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), redisSetupTimeout)
	defer cancel()
	url, err := redisStartContainer(ctx)
	if err != nil {
		return "", fmt.Sprintf("%s is unset and no container could be started (%v)", redisEnvURL, err)
	}
	return url, ""
}

func redisStartContainer(ctx context.Context) (url string, err error) {
	defer func() { // testcontainers panics on some broken Docker setups instead of erring
		if r := recover(); r != nil {
			err = fmt.Errorf("testcontainers: %v", r)
		}
	}()
	if err := dockerReady(ctx); err != nil {
		return "", err
	}
	ctr, err := tcredis.Run(ctx, redisImage)
	if err != nil {
		return "", err
	}
	return ctr.ConnectionString(ctx)
}
