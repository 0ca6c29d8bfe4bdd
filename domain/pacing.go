package domain

import "time"

// PaceRequest asks a host pacer for the next start of a fetch to Host.
type PaceRequest struct {
	Host string // the host key, e.g. "example.com:443"
	// Holder names the caller (the task id), so a caller that was told to come back for its
	// slot finds it still its own.
	Holder string
	// Interval is how far apart two starts on Host must be (FETCH_HOST_MIN_INTERVAL_MS,
	// raised by the site's Crawl-delay); > 0.
	Interval time.Duration
	// MaxWait is how long the caller is willing to wait in place; a slot further away is
	// reserved and reported, not granted.
	MaxWait time.Duration
	Now     time.Time
}

// PaceDecision is a pacer's answer. At is the start of the caller's slot. Granted: the
// caller starts at At (now, or within MaxWait). Not granted: the slot at At is reserved for
// Holder; the caller comes back then and asks again, and is granted it.
type PaceDecision struct {
	Granted bool
	At      time.Time
}
