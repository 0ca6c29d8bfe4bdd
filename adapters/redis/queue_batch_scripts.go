package redis

import goredis "github.com/redis/go-redis/v9"

// The batch scripts move many ids per call with variadic commands (one SADD, LPUSH, ZADD
// ... for the whole batch) rather than a command per id: inside a script each redis.call
// costs about as much as the work it does, so this is what makes a batch cheap. They need
// Redis >= 6.2 (RPOP with a count, LPOS). Callers keep a batch within maxBatch, which
// bounds a script's run time and keeps unpack within Lua's stack (about 8,000 values).

// luaLeaseIDs leases ids to one consumer: the i-th id (1-based) gets the token
// base .. '.' .. i, so one random base from the caller makes every token of the batch
// unpredictable and distinct, and the caller derives the same tokens without a reply for
// them (see batchToken). It returns the positions i of the ids whose lease lapsed since
// their last ack (in LAPSED): the redeliveries.
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
  local again = {}
  if redis.call('EXISTS', LAPSED) == 1 then
    for i, m in ipairs(redis.call('SMISMEMBER', LAPSED, unpack(ids))) do
      if m == 1 then again[#again + 1] = i end
    end
  end
  return again
end
`

// enqueueManyScript is enqueueScript for a batch: it adds every id the queue does not
// already hold (waiting, leased, or earlier in the same batch), keeping the batch's order
// within each lane.
//
//	KEYS as luaQueueKeys
//	ARGV[3k-2] id, ARGV[3k-1] its not-before in Unix ms (0: now), ARGV[3k] its priority
//	(1..4), for k = 1..n
//	returns the number of ids added
var enqueueManyScript = goredis.NewScript(luaQueue + `
local ids = {}
for k = 1, #ARGV / 3 do ids[k] = ARGV[3 * k - 2] end
local held = redis.call('HMGET', ENTRIES, unpack(ids))
local now = now_ms()
local seen, added, ready, prios, delayed = {}, {}, {}, {}, {}
for k, id in ipairs(ids) do
  if not held[k] and not seen[id] then
    seen[id] = true
    added[#added + 1] = id
    added[#added + 1] = ARGV[3 * k]
    local nb = tonumber(ARGV[3 * k - 1])
    if nb > now then
      delayed[#delayed + 1] = nb
      delayed[#delayed + 1] = id
    else
      ready[#ready + 1] = id
      prios[#prios + 1] = ARGV[3 * k]
    end
  end
end
if #added == 0 then return 0 end
redis.call('HSET', ENTRIES, unpack(added))
-- LPUSH a b c leaves c b a: consumers pop from the right, so a is delivered first.
if #ready > 0 then push_ready(ready, prios, false) end
if #delayed > 0 then redis.call('ZADD', DELAYED, unpack(delayed)) end
return #added / 2
`)

// dequeueManyScript promotes due work when needed and leases up to max ready ids of
// highest priority (the oldest of each lane first). Due work is promoted whenever fewer
// than max ids are ready, so a batch takes everything deliverable at that moment (O(log n)
// when nothing is due), and, like claim recovery, at most once per promote interval (the
// gate key) besides. Dequeue is a batch of one.
//
//	KEYS as luaQueueKeys
//	ARGV[1] lease ms, ARGV[2] token base, ARGV[3] promote interval ms, ARGV[4] promotion
//	batch, ARGV[5] claim timeout ms, ARGV[6] max (1..maxBatch)
//	returns {ids, 0, again} with the leased ids, highest priority first and oldest first
//	within a priority (tokens as in luaLeaseIDs), again the positions of the redeliveries;
//	{{}, wait, {}} when none is ready, wait being the ms until the next delayed id or lease
//	falls due (-1: nothing scheduled)
var dequeueManyScript = goredis.NewScript(luaQueue + luaPromote + luaLeaseIDs + `
local now = now_ms()
local max = tonumber(ARGV[6])
if redis.call('SET', GATE, '1', 'PX', ARGV[3], 'NX') then
  promote_due(now, tonumber(ARGV[4]))
  recover_claims(now, tonumber(ARGV[5]))
elseif ready_len() < max then
  promote_due(now, tonumber(ARGV[4]))
end
local ids = pop_ready(max)
if #ids > 0 then
  return {ids, 0, lease_ids(LEASED, TOKENS, ids, now + tonumber(ARGV[1]), ARGV[2])}
end
return {{}, next_due(now), {}}
`)

// claimManyScript turns a consumer's BLMOVE into leases: the id it moved into claiming goes
// back to the front of the default lane, where it was the oldest, and then up to max ids
// are leased by priority as a dequeue would, so an id of higher priority that arrived
// meanwhile goes first. A wake marker moved into claiming is dropped (and passed on).
//
//	KEYS as luaQueueKeys
//	ARGV[1] id, ARGV[2] lease ms, ARGV[3] token base, ARGV[4] max (1..maxBatch)
//	returns {ids, again}: the leased ids, highest priority first (tokens as in luaLeaseIDs),
//	and the positions of the redeliveries; no ids when nothing is ready (the moved id was
//	recovered by a promotion, or the data was lost)
var claimManyScript = goredis.NewScript(luaQueue + luaLeaseIDs + `
local marker = false
if redis.call('LREM', CLAIMING, 1, ARGV[1]) == 1 then
  redis.call('HDEL', CLAIM_SEEN, ARGV[1])
  if ARGV[1] == MARK then
    marker = true
  else
    redis.call('RPUSH', READY, ARGV[1])
  end
end
local ids = pop_ready(tonumber(ARGV[4]))
if marker then marker_taken() end
local again = {}
if #ids > 0 then
  again = lease_ids(LEASED, TOKENS, ids, now_ms() + tonumber(ARGV[2]), ARGV[3])
end
return {ids, again}
`)

// ackManyScript is ackScript for a batch: it removes every id whose lease token matches.
// A lease given twice in one batch is acked once; its second copy is lost, as a second Ack
// would be.
//
//	KEYS[1] leased ZSET, KEYS[2] tokens HASH, KEYS[3] entries HASH, KEYS[4] lapsed SET
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
  redis.call('HDEL', KEYS[3], unpack(acked))
  redis.call('SREM', KEYS[4], unpack(acked))
end
return lost
`)
