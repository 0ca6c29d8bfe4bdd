package domain

import "time"

// RateLimit asks whether one more event for Key fits Limit events per Window.
type RateLimit struct {
	Key    string
	Limit  int
	Window time.Duration
}

// RateDecision is the limiter's answer. RetryAfter is how long until an event would be
// allowed (at least one second when refused).
type RateDecision struct {
	Allowed    bool
	Remaining  int
	RetryAfter time.Duration
}
