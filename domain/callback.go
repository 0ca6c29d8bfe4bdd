package domain

import (
	"net/url"
	"strings"
	"time"
)

// MaxCallbackURLLen bounds callback_url: long enough for any real receiver with a query
// string, short enough that a stored task stays small.
const MaxCallbackURLLen = 2048

// CallbackStatus is where the delivery of a task's callback stands.
type CallbackStatus string

// Callback statuses: pending until a 2xx (delivered), a 410 or the last allowed attempt
// (failed).
const (
	CallbackPending   CallbackStatus = "pending"
	CallbackDelivered CallbackStatus = "delivered"
	CallbackFailed    CallbackStatus = "failed"
)

// Callback is the webhook a task's submitter asked for, and its delivery state. It lives
// in the task's own record, so the final state and the duty to deliver it are written by
// the same statement: that is the outbox, and a crash after the write still delivers.
type Callback struct {
	URL       string
	Status    CallbackStatus
	Attempts  int    // delivery attempts started (a claim counts, even if its process died)
	LastError string // "" until an attempt failed
	// NextAt is when the next attempt is due: nil while the task is not final and once
	// delivery ended; set when the task finishes, then pushed ahead by each claim (a lease)
	// and by each retry's backoff.
	NextAt *time.Time
}

// NewCallback returns the callback for a valid URL (see ParseCallbackURL), not yet due.
func NewCallback(rawURL string) *Callback {
	return &Callback{URL: rawURL, Status: CallbackPending}
}

// clone is a deep copy.
func (c *Callback) clone() *Callback {
	if c == nil {
		return nil
	}
	d := *c
	if c.NextAt != nil {
		d.NextAt = timePtr(*c.NextAt)
	}
	return &d
}

// Due reports whether an attempt is waiting to be made (now or later).
func (c *Callback) Due() bool { return c != nil && c.Status == CallbackPending && c.NextAt != nil }

// ParseCallbackURL validates a callback_url: an absolute http or https URL with a host, no
// credentials, at most MaxCallbackURLLen bytes, storable text. Any port is allowed (a
// receiver often listens on one of its own). Errors are 422 naming callback_url.
func ParseCallbackURL(raw string) (string, error) {
	const field = "callback_url"
	if len(raw) > MaxCallbackURLLen {
		return "", InvalidParams(field, "callback_url may be at most %d characters", MaxCallbackURLLen)
	}
	if err := CheckText(field, raw); err != nil {
		return "", err
	}
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || s == "" {
		return "", InvalidParams(field, "callback_url is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", InvalidParams(field, "callback_url must be an http or https URL")
	}
	if u.Hostname() == "" {
		return "", InvalidParams(field, "callback_url must name a host")
	}
	if u.User != nil {
		return "", InvalidParams(field, "callback_url may not carry credentials")
	}
	return s, nil
}

// webhookBackoff is the wait before retry n (index n-1) of a delivery: the first within
// 5 s, then growing to the 1 h ceiling, which every later retry keeps.
var webhookBackoff = []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour}

// WebhookBackoff is the wait after failed attempt number attempt (1 for the first), with
// jitter in [0,1) taking up to a fifth off, so receivers that failed together are not
// retried in lockstep, and no wait exceeds the schedule.
func WebhookBackoff(attempt int, jitter float64) time.Duration {
	i := min(max(attempt, 1), len(webhookBackoff)) - 1
	d := webhookBackoff[i]
	return d - time.Duration(float64(d/5)*jitter)
}

// DeliveryOutcome is what one attempt of a callback came to.
type DeliveryOutcome struct {
	Delivered bool   // a 2xx answer
	Permanent bool   // no retry can help (410 Gone, a refused address)
	Error     string // why it did not deliver; "" when it did
}

// Conclude applies the outcome of attempt c.Attempts: delivered, failed (permanent, or no
// attempts left of maxAttempts) or pending again after the backoff from now.
func (c *Callback) Conclude(o DeliveryOutcome, maxAttempts int, now time.Time, jitter float64) {
	switch {
	case o.Delivered:
		c.Status, c.LastError, c.NextAt = CallbackDelivered, "", nil
	case o.Permanent || c.Attempts >= maxAttempts:
		c.Status, c.LastError, c.NextAt = CallbackFailed, StorableText(o.Error), nil
	default:
		c.LastError = StorableText(o.Error)
		c.NextAt = timePtr(now.Add(WebhookBackoff(c.Attempts, jitter)))
	}
}

// CallbackClaim asks for due callbacks of final tasks.
type CallbackClaim struct {
	Now        time.Time // callbacks due at or before Now
	LeaseUntil time.Time // each claimed callback's NextAt becomes this
	Limit      int       // at most this many; <= 0 means 1
}

// CallbackRecord stores the outcome of one claimed attempt.
type CallbackRecord struct {
	TaskID  string
	Attempt int      // the Callback.Attempts the claim returned
	Result  Callback // the callback after Conclude; its URL and Attempts are not written
}
