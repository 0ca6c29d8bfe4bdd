package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.RateLimiter = (*RateLimiter)(nil)
	_ ports.Pinger      = (*RateLimiter)(nil)
)

const rateService = "rate limiter"

// allowScript is a sliding-window log: one ZSET per key holding the admission times of the
// last window (score = server ms). Exact ("at most Limit in any Window"), shared by every
// process, and costs O(Limit) memory per key, fine for per-client limits of a few
// thousand per window. A call takes cost slots or none: one batch submit of n tasks is n
// admissions, each its own member.
//
//	KEYS[1] the key's ZSET
//	ARGV[1] limit, ARGV[2] window ms, ARGV[3] a unique member suffix, ARGV[4] cost (>= 1)
//	returns {allowed 1|0, remaining, retry-after ms}
var allowScript = goredis.NewScript(luaNow + `
local now = now_ms()
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[4])
if cost > limit then
  -- Never fits, however long the caller waits; nothing is counted.
  return {0, 0, window}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count + cost <= limit then
  -- ZADD in chunks: unpack of thousands of arguments would overflow Lua's C stack.
  for first = 1, cost, 256 do
    local args = {}
    for i = first, math.min(first + 255, cost) do
      args[#args + 1] = now
      args[#args + 1] = now .. ':' .. ARGV[3] .. ':' .. i
    end
    redis.call('ZADD', KEYS[1], unpack(args))
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, limit - count - cost, 0}
end
-- Refused, and not counted: the cost fits once the (count + cost - limit) oldest
-- admissions have left the window.
local i = count + cost - limit - 1
local oldest = redis.call('ZRANGE', KEYS[1], i, i, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
`)

// RateLimiter is ports.RateLimiter on Redis, so a limit holds across any number of API
// processes.
type RateLimiter struct {
	client *goredis.Client
	keys   keys
}

// NewRateLimiter returns the limiter stored under prefix (REDIS_PREFIX).
func NewRateLimiter(client *goredis.Client, prefix string) (*RateLimiter, error) {
	if client == nil {
		return nil, errors.New("redis rate limiter: client is nil")
	}
	if err := ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	return &RateLimiter{client: client, keys: newKeys(prefix)}, nil
}

// Ping reports whether Redis answers.
func (r *RateLimiter) Ping(ctx context.Context) error { return ping(ctx, r.client, rateService) }

// Allow implements ports.RateLimiter.
func (r *RateLimiter) Allow(ctx context.Context, rl domain.RateLimit) (domain.RateDecision, error) {
	if rl.Window <= 0 {
		return domain.RateDecision{}, fmt.Errorf("redis rate limiter: window must be positive, got %s", rl.Window)
	}
	if rl.Limit <= 0 {
		return domain.RateDecision{Allowed: false, RetryAfter: max(rl.Window, time.Second)}, nil
	}
	res, err := allowScript.Run(ctx, r.client, []string{r.keys.rate(rl.Key)},
		rl.Limit, max(rl.Window.Milliseconds(), 1), newToken(), rl.Events()).Int64Slice()
	if err != nil {
		return domain.RateDecision{}, translate(ctx, rateService, err)
	}
	if len(res) != 3 {
		return domain.RateDecision{}, fmt.Errorf("redis rate limiter: script returned %v", res)
	}
	d := domain.RateDecision{Allowed: res[0] == 1, Remaining: int(res[1])}
	if !d.Allowed {
		d.RetryAfter = max(time.Duration(res[2])*time.Millisecond, time.Second)
	}
	return d, nil
}
