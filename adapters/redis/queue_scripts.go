package redis

import goredis "github.com/redis/go-redis/v9"

// luaNow reads the server clock in milliseconds: the one clock every process shares.
// Scripts are replicated by effects (Redis >= 5 default, the only mode in 7), so calling
// TIME before writing is allowed.
const luaNow = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`

// luaQueue is the preamble of the scripts that take keys.queue (see luaQueueKeys).
const luaQueue = luaNow + luaQueueKeys + luaLanes

// enqueueScript adds an id unless the queue already holds it.
//
//	KEYS as luaQueueKeys
//	ARGV[1] id, ARGV[2] not-before in Unix ms (0: now), ARGV[3] priority (1..4)
//	returns 1 when added, 0 when the id was already waiting or leased
var enqueueScript = goredis.NewScript(luaQueue + `
if redis.call('HSETNX', ENTRIES, ARGV[1], ARGV[3]) == 0 then return 0 end
local nb = tonumber(ARGV[2])
if nb > 0 and nb > now_ms() then
  redis.call('ZADD', DELAYED, nb, ARGV[1])
  return 1
end
local p = lane_of(ARGV[3])
redis.call('LPUSH', LANES[p], ARGV[1])
if p ~= DEFAULT then wake_if_idle() end
return 1
`)

// luaPromote moves due work to ready (after luaQueue); dequeueManyScript
// use it. promote_due: delayed ids whose time has come go to the back of their lanes in
// due order, and expired leases to the front (they waited longest). Both cost O(log n)
// when nothing is due. recover_claims: ids left in claiming by a consumer that vanished
// between BLMOVE and claim go back to their lane claim_timeout after a recovery pass first
// saw them there (a wake marker left there is dropped). next_due: the ms until the next
// delayed id or lease falls due (-1: nothing scheduled), which a consumer that found
// nothing ready may wait.
const luaPromote = `
local function promote_due(now, batch)
  local due = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', now, 'LIMIT', 0, batch)
  if #due > 0 then
    redis.call('ZREM', DELAYED, unpack(due))
    push_ready(due, redis.call('HMGET', ENTRIES, unpack(due)), false)
  end
  local expired = redis.call('ZRANGEBYSCORE', LEASED, '-inf', now, 'LIMIT', 0, batch)
  if #expired > 0 then
    redis.call('ZREM', LEASED, unpack(expired))
    redis.call('HDEL', TOKENS, unpack(expired))
    redis.call('SADD', LAPSED, unpack(expired))
    push_ready(expired, redis.call('HMGET', ENTRIES, unpack(expired)), true)
  end
end

local function recover_claims(now, claim_timeout)
  local claiming = redis.call('LRANGE', CLAIMING, 0, -1)
  for _, id in ipairs(claiming) do
    local seen = redis.call('HGET', CLAIM_SEEN, id)
    if not seen then
      redis.call('HSET', CLAIM_SEEN, id, now)
    elseif now - tonumber(seen) > claim_timeout then
      redis.call('LREM', CLAIMING, 1, id)
      redis.call('HDEL', CLAIM_SEEN, id)
      if id == MARK then
        marker_taken()
      else
        push_ready({id}, {redis.call('HGET', ENTRIES, id)}, true)
      end
    end
  end
end

local function next_due(now)
  local wait = -1
  for _, k in ipairs({DELAYED, LEASED}) do
    local head = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
    if head[2] then
      local w = math.max(0, tonumber(head[2]) - now)
      if wait < 0 or w < wait then wait = w end
    end
  end
  return wait
end
`

// extendScript pushes a held lease's expiry to now + d.
//
//	KEYS[1] leased ZSET, KEYS[2] tokens HASH
//	ARGV[1] id, ARGV[2] token, ARGV[3] lease ms
//	returns 1 when extended, 0 when the token no longer holds the id
var extendScript = goredis.NewScript(luaNow + `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[3]), ARGV[1])
return 1
`)

// ackScript removes a held id for good.
//
//	KEYS[1] leased ZSET, KEYS[2] tokens HASH, KEYS[3] entries HASH, KEYS[4] lapsed SET
//	ARGV[1] id, ARGV[2] token
//	returns 1 when removed, 0 when the token no longer holds the id
var ackScript = goredis.NewScript(`
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return 1
`)

// releaseScript ends a held lease and makes the id deliverable again at not-before, in
// the lane of the priority it was enqueued with. An id released for now goes to the front
// of its lane: it already waited its turn once.
//
//	KEYS as luaQueueKeys
//	ARGV[1] id, ARGV[2] token, ARGV[3] not-before in Unix ms (0: now)
//	returns 1 when released, 0 when the token no longer holds the id
var releaseScript = goredis.NewScript(luaQueue + `
if redis.call('HGET', TOKENS, ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', LEASED, ARGV[1])
redis.call('HDEL', TOKENS, ARGV[1])
local nb = tonumber(ARGV[3])
if nb > 0 and nb > now_ms() then
  redis.call('ZADD', DELAYED, nb, ARGV[1])
else
  push_ready({ARGV[1]}, {redis.call('HGET', ENTRIES, ARGV[1])}, true)
end
return 1
`)

// depthScript counts the waiting ids: every lane and the delayed set, less the wake
// marker when it sits in the default lane (it is no id).
//
//	KEYS as luaQueueKeys
//	returns the count
var depthScript = goredis.NewScript(luaQueue + `
local n = ready_len() + redis.call('ZCARD', DELAYED)
if redis.call('EXISTS', WAKE) == 1 and not redis.call('LPOS', CLAIMING, MARK) then
  n = n - 1
end
return n
`)
