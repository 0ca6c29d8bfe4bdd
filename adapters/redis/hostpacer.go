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

var _ ports.HostPacer = (*HostPacer)(nil)

const paceService = "host pacer"

// reserveScript books a start on one host, as ports.HostPacer.Reserve describes. Times are
// the caller's clock in ms: every worker of a deployment runs on synchronized clocks, and
// the same clock decides when the caller starts.
//
//	KEYS[1] the host's next free start (string, ms), KEYS[2] its kept bookings (ZSET holder -> ms)
//	ARGV[1] now ms, ARGV[2] interval ms (> 0), ARGV[3] max wait ms, ARGV[4] holder
//	returns {granted 1|0, start ms}
var reserveScript = goredis.NewScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local maxwait = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. now)
local kept = redis.call('ZSCORE', KEYS[2], ARGV[4])
if kept then
  kept = tonumber(kept)
  if kept - now <= maxwait then
    redis.call('ZREM', KEYS[2], ARGV[4])
    return {1, kept}
  end
  return {0, kept}
end
local at = now
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt > at then at = nxt end
-- The key lives as long as it matters: until the next start it guards.
redis.call('SET', KEYS[1], at + interval, 'PX', at + interval - now)
if at - now <= maxwait then
  return {1, at}
end
redis.call('ZADD', KEYS[2], at, ARGV[4])
-- Bookings only grow later, so this booking's time bounds the whole set's.
redis.call('PEXPIRE', KEYS[2], at - now + 1000)
return {0, at}
`)

// HostPacer is ports.HostPacer on Redis, so pacing holds across every worker process.
type HostPacer struct {
	client *goredis.Client
	keys   keys
}

// NewHostPacer returns the pacer stored under prefix (REDIS_PREFIX).
func NewHostPacer(client *goredis.Client, prefix string) (*HostPacer, error) {
	if client == nil {
		return nil, errors.New("redis host pacer: client is nil")
	}
	if err := ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	return &HostPacer{client: client, keys: newKeys(prefix)}, nil
}

// Reserve implements ports.HostPacer.
func (p *HostPacer) Reserve(ctx context.Context, r domain.PaceRequest) (domain.PaceDecision, error) {
	if r.Interval <= 0 {
		return domain.PaceDecision{}, fmt.Errorf("redis host pacer: interval must be positive, got %s", r.Interval)
	}
	next, booked := p.keys.pace(r.Host)
	res, err := reserveScript.Run(ctx, p.client, []string{next, booked},
		r.Now.UnixMilli(), max(r.Interval.Milliseconds(), 1), max(r.MaxWait.Milliseconds(), 0), r.Holder).Int64Slice()
	if err != nil {
		return domain.PaceDecision{}, translate(ctx, paceService, err)
	}
	if len(res) != 2 {
		return domain.PaceDecision{}, fmt.Errorf("redis host pacer: script returned %v", res)
	}
	return domain.PaceDecision{Granted: res[0] == 1, At: time.UnixMilli(res[1]).UTC()}, nil
}
