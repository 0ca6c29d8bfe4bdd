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

// enqueueScript adds an id unless the queue already holds it.
//
//	KEYS[1] members SET, KEYS[2] ready LIST, KEYS[3] delayed ZSET
//	ARGV[1] id, ARGV[2] not-before in Unix ms (0: now)
//	returns 1 when added, 0 when the id was already waiting or leased
var enqueueScript = goredis.NewScript(luaNow + `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local nb = tonumber(ARGV[2])
if nb > 0 and nb > now_ms() then
  redis.call('ZADD', KEYS[3], nb, ARGV[1])
else
  redis.call('LPUSH', KEYS[2], ARGV[1])
end
return 1
`)

// luaPromote moves due work to ready; dequeueScript and dequeueManyScript use it, with the
// same KEYS layout. promote_due: delayed ids whose time has come go to the back of ready in
// due order, and expired leases to the front (they waited longest). Both cost O(log n)
// when nothing is due. recover_claims: ids left in claiming by a consumer that vanished
// between BLMOVE and claim go back to ready claim_timeout after a recovery pass first saw
// them there. next_due: the ms until the next delayed id or lease falls due (-1: nothing
// scheduled), which a consumer that found nothing ready may wait.
const luaPromote = `
local function promote_due(now, batch)
  local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, batch)
  if #due > 0 then
    redis.call('ZREM', KEYS[2], unpack(due))
    redis.call('LPUSH', KEYS[1], unpack(due))
  end
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, batch)
  if #expired > 0 then
    redis.call('ZREM', KEYS[3], unpack(expired))
    redis.call('HDEL', KEYS[4], unpack(expired))
    redis.call('RPUSH', KEYS[1], unpack(expired))
  end
end

local function recover_claims(now, claim_timeout)
  local claiming = redis.call('LRANGE', KEYS[5], 0, -1)
  for _, id in ipairs(claiming) do
    local seen = redis.call('HGET', KEYS[6], id)
    if not seen then
      redis.call('HSET', KEYS[6], id, now)
    elseif now - tonumber(seen) > claim_timeout then
      redis.call('LREM', KEYS[5], 1, id)
      redis.call('HDEL', KEYS[6], id)
      redis.call('RPUSH', KEYS[1], id)
    end
  end
end

local function next_due(now)
  local wait = -1
  for _, k in ipairs({KEYS[2], KEYS[3]}) do
    local head = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
    if head[2] then
      local w = math.max(0, tonumber(head[2]) - now)
      if wait < 0 or w < wait then wait = w end
    end
  end
  return wait
end
`

// dequeueScript promotes due work when needed and leases the oldest ready id. Due work is
// promoted when ready is empty (the caller would block otherwise) and, like claim recovery,
// at most once per promote interval (the gate key) besides.
//
//	KEYS[1] ready LIST, KEYS[2] delayed ZSET, KEYS[3] leased ZSET, KEYS[4] tokens HASH,
//	KEYS[5] claiming LIST, KEYS[6] claim-seen HASH, KEYS[7] promote gate STRING
//	ARGV[1] lease ms, ARGV[2] token, ARGV[3] promote interval ms, ARGV[4] promotion batch,
//	ARGV[5] claim timeout ms
//	returns {id, 0} when an id was leased; {"", wait} when none is ready, wait being the ms
//	until the next delayed id or lease falls due (-1: nothing scheduled)
var dequeueScript = goredis.NewScript(luaNow + luaPromote + `
local now = now_ms()
if redis.call('SET', KEYS[7], '1', 'PX', ARGV[3], 'NX') then
  promote_due(now, tonumber(ARGV[4]))
  recover_claims(now, tonumber(ARGV[5]))
elseif redis.call('LLEN', KEYS[1]) == 0 then
  promote_due(now, tonumber(ARGV[4]))
end
local id = redis.call('RPOP', KEYS[1])
if id then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), id)
  redis.call('HSET', KEYS[4], id, ARGV[2])
  return {id, 0}
end
return {'', next_due(now)}
`)

// claimScript leases an id that this consumer's BLMOVE moved into claiming.
//
//	KEYS[1] claiming LIST, KEYS[2] claim-seen HASH, KEYS[3] leased ZSET, KEYS[4] tokens HASH
//	ARGV[1] id, ARGV[2] lease ms, ARGV[3] token
//	returns 1 when leased, 0 when the id is no longer in claiming (recovered by a
//	promotion, or the data was lost)
var claimScript = goredis.NewScript(luaNow + `
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], now_ms() + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
return 1
`)

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
//	KEYS[1] leased ZSET, KEYS[2] tokens HASH, KEYS[3] members SET
//	ARGV[1] id, ARGV[2] token
//	returns 1 when removed, 0 when the token no longer holds the id
var ackScript = goredis.NewScript(`
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`)

// releaseScript ends a held lease and makes the id deliverable again at not-before. An id
// released for now goes to the front of ready: it already waited its turn once.
//
//	KEYS[1] leased ZSET, KEYS[2] tokens HASH, KEYS[3] ready LIST, KEYS[4] delayed ZSET
//	ARGV[1] id, ARGV[2] token, ARGV[3] not-before in Unix ms (0: now)
//	returns 1 when released, 0 when the token no longer holds the id
var releaseScript = goredis.NewScript(luaNow + `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local nb = tonumber(ARGV[3])
if nb > 0 and nb > now_ms() then
  redis.call('ZADD', KEYS[4], nb, ARGV[1])
else
  redis.call('RPUSH', KEYS[3], ARGV[1])
end
return 1
`)
