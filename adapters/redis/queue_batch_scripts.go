package redis

import goredis "github.com/redis/go-redis/v9"

// The batch scripts move many ids per call with variadic commands (one SADD, LPUSH, ZADD
// ... for the whole batch) rather than a command per id: inside a script each redis.call
// costs about as much as the work it does, so this is what makes a batch cheap. They need
// Redis >= 6.2 (SMISMEMBER, RPOP with a count). Callers keep a batch within maxBatch, which
// bounds a script's run time and keeps unpack within Lua's stack (about 8,000 values).

// luaLeaseIDs leases ids to one consumer: the i-th id (1-based) gets the token
// base .. '.' .. i, so one random base from the caller makes every token of the batch
// unpredictable and distinct, and the caller derives the same tokens without a reply for
// them (see batchToken).
const luaLeaseIDs = `
local function lease_ids(leased, tokens, ids, expires, base)
  local z, h = {}, {}
  for i, id in ipairs(ids) do
    z[#z + 1] = expires
    z[#z + 1] = id
    h[#h + 1] = id
    h[#h + 1] = base .. '.' .. i
  end
  redis.call('ZADD', leased, unpack(z))
  redis.call('HSET', tokens, unpack(h))
end
`

// enqueueManyScript is enqueueScript for a batch: it adds every id the queue does not
// already hold (waiting, leased, or earlier in the same batch), keeping the batch's order.
//
//	KEYS[1] members SET, KEYS[2] ready LIST, KEYS[3] delayed ZSET
//	ARGV[2k-1] id, ARGV[2k] its not-before in Unix ms (0: now), for k = 1..n
//	returns the number of ids added
var enqueueManyScript = goredis.NewScript(luaNow + `
local ids = {}
for k = 1, #ARGV / 2 do ids[k] = ARGV[2 * k - 1] end
local held = redis.call('SMISMEMBER', KEYS[1], unpack(ids))
local now = now_ms()
local seen, added, ready, delayed = {}, {}, {}, {}
for k, id in ipairs(ids) do
  if held[k] == 0 and not seen[id] then
    seen[id] = true
    added[#added + 1] = id
    local nb = tonumber(ARGV[2 * k])
    if nb > now then
      delayed[#delayed + 1] = nb
      delayed[#delayed + 1] = id
    else
      ready[#ready + 1] = id
    end
  end
end
if #added == 0 then return 0 end
redis.call('SADD', KEYS[1], unpack(added))
-- LPUSH a b c leaves c b a: consumers pop from the right, so a is delivered first.
if #ready > 0 then redis.call('LPUSH', KEYS[2], unpack(ready)) end
if #delayed > 0 then redis.call('ZADD', KEYS[3], unpack(delayed)) end
return #added
`)

// dequeueManyScript is dequeueScript for up to max ids. It also promotes due work whenever
// ready holds fewer than max ids (not only when it is empty), so a batch takes everything
// deliverable at that moment; that costs O(log n) when nothing is due.
//
//	KEYS[1] ready LIST, KEYS[2] delayed ZSET, KEYS[3] leased ZSET, KEYS[4] tokens HASH,
//	KEYS[5] claiming LIST, KEYS[6] claim-seen HASH, KEYS[7] promote gate STRING
//	ARGV[1] lease ms, ARGV[2] token base, ARGV[3] promote interval ms, ARGV[4] promotion
//	batch, ARGV[5] claim timeout ms, ARGV[6] max (1..maxBatch)
//	returns {ids, 0} with the leased ids oldest first (tokens as in luaLeaseIDs); {{}, wait}
//	when none is ready, wait being the ms until the next delayed id or lease falls due (-1:
//	nothing scheduled)
var dequeueManyScript = goredis.NewScript(luaNow + luaPromote + luaLeaseIDs + `
local now = now_ms()
local max = tonumber(ARGV[6])
if redis.call('SET', KEYS[7], '1', 'PX', ARGV[3], 'NX') then
  promote_due(now, tonumber(ARGV[4]))
  recover_claims(now, tonumber(ARGV[5]))
elseif redis.call('LLEN', KEYS[1]) < max then
  promote_due(now, tonumber(ARGV[4]))
end
local ids = redis.call('RPOP', KEYS[1], max)
if ids then
  lease_ids(KEYS[3], KEYS[4], ids, now + tonumber(ARGV[1]), ARGV[2])
  return {ids, 0}
end
return {{}, next_due(now)}
`)

// claimManyScript is claimScript for a batch: it leases the id this consumer's BLMOVE moved
// into claiming, and with it up to max-1 more ids ready at this moment (max when the
// claimed id is gone), oldest first.
//
//	KEYS[1] claiming LIST, KEYS[2] claim-seen HASH, KEYS[3] ready LIST, KEYS[4] leased ZSET,
//	KEYS[5] tokens HASH
//	ARGV[1] id, ARGV[2] lease ms, ARGV[3] token base, ARGV[4] max (1..maxBatch)
//	returns the leased ids, oldest first (tokens as in luaLeaseIDs); empty when the claimed
//	id is no longer in claiming (recovered by a promotion, or the data was lost) and
//	nothing else is ready
var claimManyScript = goredis.NewScript(luaNow + luaLeaseIDs + `
local ids = {}
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 1 then
  redis.call('HDEL', KEYS[2], ARGV[1])
  ids[1] = ARGV[1]
end
local more = tonumber(ARGV[4]) - #ids
if more > 0 then
  local rest = redis.call('RPOP', KEYS[3], more)
  if rest then
    for _, id in ipairs(rest) do ids[#ids + 1] = id end
  end
end
if #ids > 0 then
  lease_ids(KEYS[4], KEYS[5], ids, now_ms() + tonumber(ARGV[2]), ARGV[3])
end
return ids
`)

// ackManyScript is ackScript for a batch: it removes every id whose lease token matches.
// A lease given twice in one batch is acked once; its second copy is lost, as a second Ack
// would be.
//
//	KEYS[1] leased ZSET, KEYS[2] tokens HASH, KEYS[3] members SET
//	ARGV[2k-1] id, ARGV[2k] token, for k = 1..n
//	returns the positions k (1-based, ascending) of the leases no longer held
var ackManyScript = goredis.NewScript(`
local ids = {}
for k = 1, #ARGV / 2 do ids[k] = ARGV[2 * k - 1] end
local current = redis.call('HMGET', KEYS[2], unpack(ids))
local acked, lost, done = {}, {}, {}
for k, id in ipairs(ids) do
  if current[k] == ARGV[2 * k] and not done[id] then
    done[id] = true
    acked[#acked + 1] = id
  else
    lost[#lost + 1] = k
  end
end
if #acked > 0 then
  redis.call('ZREM', KEYS[1], unpack(acked))
  redis.call('HDEL', KEYS[2], unpack(acked))
  redis.call('SREM', KEYS[3], unpack(acked))
end
return lost
`)
