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

	ready, delayed, claiming, claimSeen, leased, tokens, members, promoteGate string
	cancelChannel                                                             string
}

func newKeys(prefix string) keys {
	b := "{" + prefix + "}:"
	return keys{
		base:          b,
		ready:         b + "queue:ready",
		delayed:       b + "queue:delayed",
		claiming:      b + "queue:claiming",
		claimSeen:     b + "queue:claim_seen",
		leased:        b + "queue:leased",
		tokens:        b + "queue:tokens",
		members:       b + "queue:members",
		promoteGate:   b + "queue:promote_gate",
		cancelChannel: b + "cancel",
	}
}

func (k keys) cache(key string) string { return k.base + "cache:" + key }

func (k keys) rate(key string) string { return k.base + "rate:" + key }

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
