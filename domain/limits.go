package domain

import (
	"strings"
	"time"
)

// MaxRetriesLimit is the largest max_retries a task may ask for (API.md).
const MaxRetriesLimit = 10

// MaxIdempotencyKeyLen bounds idempotency keys so they stay cheap to index.
const MaxIdempotencyKeyLen = 255

// Limits are the effective limits, read once at start-up and enforced centrally.
type Limits struct {
	TaskMaxRuntimeSeconds int      // upper bound and default of timeout_seconds
	TaskMaxArtifactMB     int      // artifact (and request body) size cap
	TasksPerMinute        int      // enqueues per client per minute; 0 disables
	SearchSourceAllowlist []string // sources a search may name
	SearchMaxResults      int      // cap and default of max_results
	FetchDomainAllowlist  []string // "*", "example.com", "*.example.com"
	FetchAllowedPorts     []string // ports a fetch may reach: "80", "443", or "*" for any
	MaxBatchSize          int      // queries per search_batch
	TaskRetentionDays     int      // finished tasks older than this are deleted; 0 keeps all
	// SearchDefaultSources are the sources of a search that names none; empty means
	// [DefaultSearchSource]. The bootstrap picks the allowed sources that can answer.
	SearchDefaultSources []string
}

// DefaultLimits are the defaults of API.md.
func DefaultLimits() Limits {
	return Limits{
		TaskMaxRuntimeSeconds: 600,
		TaskMaxArtifactMB:     25,
		TasksPerMinute:        30,
		SearchSourceAllowlist: []string{"brave"},
		SearchMaxResults:      10,
		FetchDomainAllowlist:  []string{"*"},
		FetchAllowedPorts:     DefaultFetchPorts(),
		MaxBatchSize:          50,
		TaskRetentionDays:     DefaultTaskRetentionDays,
	}
}

// MaxArtifactBytes is the artifact cap in bytes.
func (l Limits) MaxArtifactBytes() int64 { return int64(l.TaskMaxArtifactMB) << 20 }

// TaskMaxRuntime is the runtime cap as a duration.
func (l Limits) TaskMaxRuntime() time.Duration {
	return time.Duration(l.TaskMaxRuntimeSeconds) * time.Second
}

// ResolveTimeout applies the timeout rules: absent → the maximum; otherwise 1..maximum.
func (l Limits) ResolveTimeout(requested *int) (int, error) {
	if requested == nil {
		return l.TaskMaxRuntimeSeconds, nil
	}
	if *requested < 1 || *requested > l.TaskMaxRuntimeSeconds {
		return 0, InvalidParams("timeout_seconds", "timeout_seconds must be between 1 and %d, got %d", l.TaskMaxRuntimeSeconds, *requested)
	}
	return *requested, nil
}

// ResolveMaxRetries applies the retry rules: absent → 0; otherwise 0..MaxRetriesLimit.
func ResolveMaxRetries(requested *int) (int, error) {
	if requested == nil {
		return 0, nil
	}
	if *requested < 0 || *requested > MaxRetriesLimit {
		return 0, InvalidParams("max_retries", "max_retries must be between 0 and %d, got %d", MaxRetriesLimit, *requested)
	}
	return *requested, nil
}

// SourceAllowed reports whether a search source is on the allowlist.
func (l Limits) SourceAllowed(source string) bool {
	for _, s := range l.SearchSourceAllowlist {
		if strings.EqualFold(s, source) {
			return true
		}
	}
	return false
}

// DomainAllowed reports whether host is on the fetch allowlist (see HostAllowlist).
func (l Limits) DomainAllowed(host string) bool {
	return NewHostAllowlist(l.FetchDomainAllowlist).Allows(host)
}
