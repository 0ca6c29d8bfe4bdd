// Package redis implements the queue, cache, rate limiter and cancel-signal ports on Redis
// (go-redis v9).
//
// Every key lives under one configurable prefix with a hash tag ("{prefix}:queue:ready"), so
// deployments and tests sharing a server stay apart and a Redis Cluster keeps all of them in
// one slot, which the multi-key Lua scripts need. Keys are built only in keys.go.
//
// # Queue design
//
// The queue carries task ids only. An id is in exactly one of these places:
//
//	ready     LISTs one lane per priority (ready:1, ready for 2, ready:3, ready:4): ids
//	          deliverable now; Enqueue LPUSHes, consumers take from the right (FIFO),
//	          always from the highest-priority lane that holds any
//	delayed   ZSET  ids with a future not-before time, score = due time (ms)
//	claiming  LIST  ids a blocked consumer has just moved out of ready (see below)
//	leased    ZSET  ids held by a consumer, score = lease expiry (ms)
//
// plus entries (HASH of every id in any of them -> its priority, making Enqueue
// idempotent, Contains one HEXISTS, and telling a promotion, a release or an expired lease
// which lane the id returns to) and tokens (HASH id -> token of the current delivery, so a
// stale holder's Extend, Ack or Release fails with domain.ErrLeaseLost).
//
// Dequeue first runs one Lua script that promotes due work when needed (delayed ids whose
// time has come go to ready, expired leases go back to ready, ids stuck in claiming are
// recovered) and leases the oldest ready id of the highest priority: one round trip when
// work is waiting. When nothing is ready the consumer BLOCKS with BLMOVE ready -> claiming
// (the default lane), so a new id wakes exactly one consumer within a fraction of a
// millisecond, and a second script ("claim") puts the moved id back and leases by
// priority. An id pushed to another lane wakes a blocked consumer with a wake marker in
// the default lane (luaLanes in queue_lanes.go). The default priority's path costs what it
// did with a single list: the same commands, plus one LLEN or RPOP of an empty lane. BLMOVE cannot write a sorted set, hence the claiming
// list; an id whose consumer died between the two steps is put back to ready by a later
// promotion after claimTimeout, and a late claim of it then simply fails. The block is
// short (at most maxBlock, less when the script reports an earlier due time) so delayed
// work and expired leases are promoted on time and a cancelled ctx is noticed quickly
// (go-redis cannot interrupt a blocking read).
//
// Due delayed ids and expired leases are promoted whenever ready is empty, and otherwise at
// most once per promoteEvery (a PX gate key), as is the claim recovery, so a busy queue
// does not pay for either on every delivery.
//
// The batch methods (EnqueueMany, DequeueMany, AckMany) run the same moves for up to
// maxBatch ids in one script, with variadic commands; DequeueMany blocks exactly like
// Dequeue (one id woken for by BLMOVE) and its claim takes whatever else is ready with it.
// Each id of a batch gets its own lease token, derived from one random base per call. They
// need Redis >= 6.2 (RPOP with a count, LPOS).
//
// Clocks: every time comparison inside Redis uses the server's TIME, one clock for all
// processes, so leases are immune to skew between worker machines. Only not-before times
// come from the caller (they are absolute instants); skew shifts a delayed delivery by the
// skew, nothing more.
//
// Redis must run with maxmemory-policy noeviction: evicting one of the queue's keys would
// split its bookkeeping. Losing all of them (FLUSHDB, a restart without persistence) is
// survivable: consumers keep blocking, stale leases report ErrLeaseLost, and the
// application's reconciler queues again the tasks that no queue holds.
package redis
