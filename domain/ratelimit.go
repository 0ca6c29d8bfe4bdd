package domain

import "time"

// RateLimit asks whether Cost more events for Key fit Limit events per Window. Cost lets
// one request that creates n things (a batch submit) take n slots at once, all or none.
type RateLimit struct {
	Key    string
	Limit  int
	Window time.Duration
	// Cost is how many events this call counts; 0 means 1, so every caller that counts
	// one event at a time can leave it out.
	Cost int
}

// Events is the number of events the call counts: Cost, or 1 when Cost is not positive.
func (r RateLimit) Events() int {
	return max(r.Cost, 1)
}

// RateDecision is the limiter's answer. RetryAfter is how long until an event would be
// allowed (at least one second when refused).
type RateDecision struct {
	Allowed    bool
	Remaining  int
	RetryAfter time.Duration
}
