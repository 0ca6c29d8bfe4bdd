package redis

// luaQueueKeys names the keys of every queue script that moves ids between places (all
// but ack, extend and depth), which take keys.queue as KEYS:
//
//	KEYS[1] ready LIST (priority 2), KEYS[2] delayed ZSET, KEYS[3] leased ZSET,
//	KEYS[4] tokens HASH, KEYS[5] claiming LIST, KEYS[6] claim-seen HASH,
//	KEYS[7] promote gate STRING, KEYS[8] entries HASH (id -> priority),
//	KEYS[9] ready LIST of priority 1, KEYS[10] of priority 3, KEYS[11] of priority 4,
//	KEYS[12] wake STRING, KEYS[13] lapsed SET (ids whose lease lapsed since their last ack)
//
// The helpers that follow read them through these locals.
const luaQueueKeys = `
local READY, DELAYED, LEASED, TOKENS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local CLAIMING, CLAIM_SEEN, GATE, ENTRIES, WAKE = KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[12]
local LAPSED = KEYS[13]
local LANES = {KEYS[9], KEYS[1], KEYS[10], KEYS[11]}
local DEFAULT = 2
`

// luaLanes holds the priority moves (after luaQueueKeys).
//
// Blocked consumers wait with BLMOVE on the default lane only (one list is all BLMOVE
// takes), so an id made ready in another lane wakes them with the wake marker: a value no
// id can have, pushed into the default lane when that lane is empty (were it not, no
// consumer would be blocked on it). The WAKE key says a marker exists (in the lane, or in
// claiming after a BLMOVE took it): there is never more than one, so Depth can leave it
// out exactly. The consumer that takes the marker leases by priority like any other, and
// passes the marker on while ready ids are left in other lanes, so every blocked consumer
// is woken in turn. Default-priority ids never need it: pushing them wakes a consumer.
//
// pop_ready takes up to n ids, highest priority first and oldest first within a lane;
// push_ready puts ids in their lanes, at the back (oldest last out) or, with front, where
// the next pop takes them.
const luaLanes = `
local MARK = '~wake'

local function lane_of(p)
  p = tonumber(p)
  if p == nil or LANES[p] == nil then return DEFAULT end
  return p
end

local function wake_if_idle()
  if redis.call('LLEN', READY) == 0 and redis.call('EXISTS', WAKE) == 0 then
    redis.call('LPUSH', READY, MARK)
    redis.call('SET', WAKE, '1')
  end
end

local function others_ready()
  return redis.call('LLEN', KEYS[9]) + redis.call('LLEN', KEYS[10]) + redis.call('LLEN', KEYS[11]) > 0
end

local function ready_len()
  return redis.call('LLEN', READY) + redis.call('LLEN', KEYS[9]) + redis.call('LLEN', KEYS[10]) +
    redis.call('LLEN', KEYS[11])
end

local function push_ready(ids, prios, front)
  local by, other = {}, false
  for i, id in ipairs(ids) do
    local p = lane_of(prios[i])
    if p ~= DEFAULT then other = true end
    if by[p] == nil then by[p] = {} end
    local l = by[p]
    l[#l + 1] = id
  end
  for p, l in pairs(by) do
    redis.call(front and 'RPUSH' or 'LPUSH', LANES[p], unpack(l))
  end
  if other then wake_if_idle() end
end

-- the marker was taken out of play: pass it on while other lanes still hold ready ids
local function marker_taken()
  redis.call('DEL', WAKE)
  if others_ready() then wake_if_idle() end
end

local function pop_ready(n)
  local out, marker = {}, false
  for p = 1, 4 do
    local want = n - #out
    if want <= 0 then break end
    local ids = redis.call('RPOP', LANES[p], want)
    if ids then
      for _, id in ipairs(ids) do
        if id == MARK then marker = true else out[#out + 1] = id end
      end
      if marker and p == DEFAULT and #out < n then
        -- the marker took a place in this lane's share: fill it from the same lane
        local more = redis.call('RPOP', READY, n - #out)
        if more then
          for _, id in ipairs(more) do out[#out + 1] = id end
        end
      end
    end
  end
  if marker then marker_taken() end
  return out
end
`
