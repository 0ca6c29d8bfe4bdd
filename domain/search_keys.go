package domain

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
)

// searchKeyVersion is mixed into every search key; bump it when the cached shapes change so
// old entries are simply never read again.
const searchKeyVersion = "v1"

// SearchKeyQuery is the form of a query that keys compare: normalized (NormalizeQuery) and
// lower-cased, because the providers treat case as insignificant. "Go  Generics" and
// "go generics" therefore share cache entries and runs.
func SearchKeyQuery(q string) string { return strings.ToLower(NormalizeQuery(q)) }

// SearchProviderCacheKey is the cache key of one provider's answer to one query:
// (source, key query, recency, max). A multi-source search reuses single-source answers.
func SearchProviderCacheKey(source string, q SearchQuery) string {
	return "search:provider:" + source + ":" + hashParts(searchKeyVersion, "provider", source,
		SearchKeyQuery(q.Query), strconv.Itoa(clampRecency(q.RecencyDays)), strconv.Itoa(q.MaxResults))
}

// SearchRequestKey identifies a whole search request (query, sources, recency, max) as a
// hex hash. Runs of the request are recorded under RunKey(ScopeSearch, SearchRequestKey(p)).
// Source order does not matter.
func SearchRequestKey(p SearchParams) string {
	parts := []string{searchKeyVersion, "request", SearchKeyQuery(p.Query),
		strconv.Itoa(clampRecency(p.RecencyDays)), strconv.Itoa(p.MaxResults)}
	parts = append(parts, sortedLower(p.Sources)...)
	return hashParts(parts...)
}

// SearchRequestCacheKey is the cache key under which a finished request's artifact is kept,
// so an identical request inside the TTL reuses it.
func SearchRequestCacheKey(p SearchParams) string { return "search:request:" + SearchRequestKey(p) }

// SearchBatchKey identifies a batch request; the order of queries matters (the grouped
// artifact follows it), the order of sources does not. Batch runs are recorded under
// RunKey(ScopeSearch, SearchBatchKey(p)), which starts with "batch:".
func SearchBatchKey(p SearchBatchParams) string {
	parts := []string{searchKeyVersion, "batch", strconv.Itoa(clampRecency(p.RecencyDays)),
		strconv.Itoa(p.MaxResults), strconv.Itoa(len(p.Sources))}
	parts = append(parts, sortedLower(p.Sources)...)
	for _, q := range p.Queries {
		parts = append(parts, SearchKeyQuery(q))
	}
	return "batch:" + hashParts(parts...)
}

// SearchBatchCacheKey is the cache key of a finished batch's artifact ids.
func SearchBatchCacheKey(p SearchBatchParams) string { return "search:" + SearchBatchKey(p) }

func clampRecency(days int) int {
	if days < 0 {
		return 0
	}
	return days
}

func sortedLower(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	sort.Strings(out)
	return out
}

// hashParts hashes length-prefixed parts, so ("ab","c") and ("a","bc") differ.
func hashParts(parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}
