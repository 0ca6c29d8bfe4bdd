package redis_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/adapters/redis"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// keyRecorder is a go-redis hook that records every key (and channel) a command names.
type keyRecorder struct {
	mu      sync.Mutex
	keys    []string
	unknown []string
}

func (r *keyRecorder) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (r *keyRecorder) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		r.record(cmd.Args())
		return next(ctx, cmd)
	}
}

func (r *keyRecorder) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		for _, c := range cmds {
			r.record(c.Args())
		}
		return next(ctx, cmds)
	}
}

func (r *keyRecorder) record(args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	str := func(i int) string { return fmt.Sprint(args[i]) }
	switch name := strings.ToLower(str(0)); name {
	case "evalsha", "eval":
		n, _ := strconv.Atoi(str(2))
		for i := range n {
			r.keys = append(r.keys, str(3+i))
		}
	case "blmove":
		r.keys = append(r.keys, str(1), str(2))
	case "get", "set", "sismember", "hexists", "llen", "zcard", "publish":
		r.keys = append(r.keys, str(1))
	// No keys. A connection opened after the hook was added runs its set-up through the
	// hook as well: HELLO, CLIENT SETNAME, and SELECT when the URL names a database other
	// than 0 (TEST_REDIS_URL=redis://host:6379/3), AUTH with a password.
	case "ping", "multi", "exec", "script", "hello", "client", "select", "auth":
	default:
		r.unknown = append(r.unknown, name)
	}
}

// Every key and channel any adapter touches lies under the prefix, inside its hash tag.
func TestKeysStayUnderPrefix(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	rec := &keyRecorder{}
	c := process(t, r)
	c.AddHook(rec)
	ctx := t.Context()

	// Hold the pool's one connection so the next command opens another: its set-up runs
	// through the hook, as it does whenever a busy process grows its pool.
	held := c.Conn()
	t.Cleanup(func() { _ = held.Close() })
	require.NoError(t, held.Ping(ctx).Err())
	require.NoError(t, c.Ping(ctx).Err())

	q := queueOn(t, c, r.Prefix)
	cache, err := redis.NewCache(c, r.Prefix)
	require.NoError(t, err)
	limiter, err := redis.NewRateLimiter(c, r.Prefix)
	require.NoError(t, err)
	signals, err := redis.NewCancelSignals(c, r.Prefix)
	require.NoError(t, err)

	id := contract.NewID()
	require.NoError(t, q.Enqueue(ctx, domain.QueueItem{TaskID: id, NotBefore: time.Now().Add(50 * time.Millisecond)}))
	l, err := q.Dequeue(ctx, time.Minute) // blocks, then promotes the delayed id
	require.NoError(t, err)
	require.NoError(t, q.Extend(ctx, l, time.Minute))
	require.NoError(t, q.Release(ctx, l, time.Time{}))
	l, err = q.Dequeue(ctx, time.Minute)
	require.NoError(t, err)
	require.NoError(t, q.Ack(ctx, l))
	_, err = q.Contains(ctx, id)
	require.NoError(t, err)
	_, err = q.Depth(ctx)
	require.NoError(t, err)
	require.NoError(t, cache.Set(ctx, "k", []byte("v"), time.Minute))
	_, _, err = cache.Get(ctx, "k")
	require.NoError(t, err)
	_, err = limiter.Allow(ctx, domain.RateLimit{Key: "client", Limit: 1, Window: time.Minute})
	require.NoError(t, err)
	require.NoError(t, signals.Publish(ctx, id))

	rec.mu.Lock()
	keys, unknown := rec.keys, rec.unknown
	rec.mu.Unlock()
	require.Empty(t, unknown, "commands this test does not know the key positions of")
	require.NotEmpty(t, keys)
	for _, k := range keys {
		require.True(t, strings.HasPrefix(k, "{"+r.Prefix+"}:"), "key %q is outside the prefix", k)
	}
	// Everything left behind is under the pattern the harness cleans up. The pattern's
	// keys are read first: a key with a short TTL (the promote gate) may expire between
	// the two reads, and nothing creates one meanwhile, so every key still left must be
	// among them.
	under, err := r.Client.Keys(ctx, redis.KeyPattern(r.Prefix)).Result()
	require.NoError(t, err)
	left, err := r.Client.Keys(ctx, "*"+r.Prefix+"*").Result()
	require.NoError(t, err)
	require.Subset(t, under, left)
}

func TestValidatePrefix(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"taskrunner", "test-1a2b", "prod:eu.1", "a_b"} {
		require.NoError(t, redis.ValidatePrefix(ok), ok)
	}
	for _, bad := range []string{"", "a{b", "a}b", "a*", "a?", "a[b]", `a\b`, "a b"} {
		require.Error(t, redis.ValidatePrefix(bad), bad)
	}
	_, err := redis.NewQueue(goredis.NewClient(&goredis.Options{}), "bad prefix")
	require.Error(t, err)
}
