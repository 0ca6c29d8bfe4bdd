package postgres

import (
	"time"

	"taskrunner/domain"
)

// callbackCols are a task's callback columns as pgx reads and writes them: every one NULL
// for a task without a callback, so such a task's row carries five null bits and no bytes.
type callbackCols struct {
	url, status, lastError *string
	attempts               *int32
	nextAt                 *time.Time
}

func newCallbackCols(c *domain.Callback) callbackCols {
	if c == nil {
		return callbackCols{}
	}
	status := string(c.Status)
	n := int32(c.Attempts)
	return callbackCols{url: &c.URL, status: &status, lastError: &c.LastError, attempts: &n, nextAt: c.NextAt}
}

// domain is the callback these columns hold; nil when callback_url is NULL.
func (c callbackCols) domain() *domain.Callback {
	if c.url == nil {
		return nil
	}
	cb := &domain.Callback{URL: *c.url, NextAt: utcPtr(c.nextAt)}
	if c.status != nil {
		cb.Status = domain.CallbackStatus(*c.status)
	}
	if c.lastError != nil {
		cb.LastError = *c.lastError
	}
	if c.attempts != nil {
		cb.Attempts = int(*c.attempts)
	}
	return cb
}
