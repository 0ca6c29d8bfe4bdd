package redis

import (
	"fmt"
	"strings"
)

// keys builds every Redis key and channel name this package uses, all under one prefix in
// a hash tag ("{prefix}:..."). This is the only place that formats a key.
//
// The hash tag puts every key in one cluster slot. The queue's scripts need that; the cache
// and rate-limit keys would not, but one slot per deployment keeps cleanup (SCAN on the
// pattern) and reasoning simple at taskrunner's scale.
type keys struct {
	base string // "{prefix}:"

	ready, delayed, claiming, claimSeen, leased, tokens, entries, promoteGate string
	// ready1, ready3 and ready4 are the ready lanes of priorities 1, 3 and 4; ready is
	// priority 2's (the default), the lane blocked consumers wait on. wake flags the wake
	// marker (see the package comment).
	ready1, ready3, ready4, wake string
	// lapsed is the SET of ids whose lease lapsed since they were last acked.
	lapsed        string
	cancelChannel string
	eventsChannel string
	// eventsListeners is the sorted set of live event subscriptions (taskevents.go).
	eventsListeners string
	// queue is every queue key, in the order the queue scripts take them (luaQueueKeys).
	queue []string
}

func newKeys(prefix string) keys {
	b := "{" + prefix + "}:"
	k := keys{
		base:        b,
		ready:       b + "queue:ready",
		delayed:     b + "queue:delayed",
		claiming:    b + "queue:claiming",
		claimSeen:   b + "queue:claim_seen",
		leased:      b + "queue:leased",
		tokens:      b + "queue:tokens",
		promoteGate: b + "queue:promote_gate",
		// A HASH id -> priority; it replaced the SET "queue:members" (a new name, so an
		// old deployment's set is never read as a hash; the reconciler re-adds its ids).
		entries:         b + "queue:entries",
		ready1:          b + "queue:ready:1",
		ready3:          b + "queue:ready:3",
		ready4:          b + "queue:ready:4",
		wake:            b + "queue:wake",
		lapsed:          b + "queue:lapsed",
		cancelChannel:   b + "cancel",
		eventsChannel:   b + "events",
		eventsListeners: b + "events:listeners",
	}
	k.queue = []string{k.ready, k.delayed, k.leased, k.tokens, k.claiming, k.claimSeen, k.promoteGate,
		k.entries, k.ready1, k.ready3, k.ready4, k.wake, k.lapsed}
	return k
}

func (k keys) cache(key string) string { return k.base + "cache:" + key }

func (k keys) rate(key string) string { return k.base + "rate:" + key }

// pace are a host pacer's keys for host: the next free start, and the kept bookings.
func (k keys) pace(host string) (next, booked string) {
	return k.base + "pace:" + host + ":next", k.base + "pace:" + host + ":booked"
}

// KeyPattern is the SCAN/KEYS glob matching every key under prefix: for cleanup in tests
// and for operators who want to inspect or drop one deployment's data.
func KeyPattern(prefix string) string { return "{" + prefix + "}:*" }

// ValidatePrefix rejects prefixes that would break the hash tag or the cleanup glob.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return fmt.Errorf("redis key prefix is empty")
	}
	if i := strings.IndexAny(prefix, "{}*?[]\\ \t\r\n"); i >= 0 {
		return fmt.Errorf("redis key prefix %q contains %q; use letters, digits, '-', '_', ':' or '.'", prefix, prefix[i])
	}
	return nil
}
