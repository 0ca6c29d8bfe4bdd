package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"go.uber.org/dig"

	"taskrunner/domain"
)

// serviceError is a backing service that start-up could not use; setting names the
// environment variable that points at it ("PostgreSQL (DATABASE_URL)").
type serviceError struct {
	service string
	err     error
}

func (e *serviceError) Error() string { return e.service + ": " + e.err.Error() }
func (e *serviceError) Unwrap() error { return e.err }

// startupFailure turns what fx returned from a failed start into one line that names the
// setting and the cause: "start-up failed: PostgreSQL (DATABASE_URL): dial tcp
// 127.0.0.1:5432: connect: connection refused", not the five layers of wrapping (domain
// error, pgx's connect error, its per-address error) in between, nor the stack of
// constructors fx reports.
func startupFailure(err error) error {
	err = dig.RootCause(err)
	var svc *serviceError
	if errors.As(err, &svc) {
		return fmt.Errorf("start-up failed: %s: %s", svc.service, flatten(cause(svc.err)))
	}
	return fmt.Errorf("start-up failed: %s", flatten(err.Error()))
}

// cause is the message of the error at the bottom of err's chain that still says
// something: a network error (it names the address), else the deepest error, or the one
// above it when the deepest is one of the domain's generic sentinels.
func cause(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		var opErr *net.OpError // a dial timeout names its address: keep that
		if !errors.As(err, &opErr) {
			return fmt.Sprintf("no answer within %s", serviceStartTimeout)
		}
	}
	var parent error
	for {
		switch err.(type) { //nolint:errorlint // each link of the chain is looked at in turn
		case *net.OpError, *net.DNSError:
			return err.Error()
		}
		next := unwrapOne(err)
		if next == nil {
			break
		}
		parent, err = err, next
	}
	if parent != nil && isGenericSentinel(err) {
		return parent.Error()
	}
	return err.Error()
}

// unwrapOne follows one link of the chain; of several joined errors it follows the one
// whose message the parent shows (domain.Unavailable's cause), else the first.
func unwrapOne(err error) error {
	switch u := err.(type) { //nolint:errorlint // one link of the chain, not what it wraps
	case interface{ Unwrap() error }:
		return u.Unwrap()
	case interface{ Unwrap() []error }:
		errs := u.Unwrap()
		for _, e := range errs {
			if e != nil && !isGenericSentinel(e) && strings.Contains(err.Error(), e.Error()) {
				return e
			}
		}
		if len(errs) > 0 {
			return errs[0]
		}
	}
	return nil
}

func isGenericSentinel(err error) bool {
	for _, s := range []error{domain.ErrUnavailable, domain.ErrNotFound, domain.ErrConflict, domain.ErrInvalidValue} {
		if err == s { //nolint:errorlint // the sentinel itself, not anything wrapping it
			return true
		}
	}
	return false
}

// flatten keeps a message on one line: drivers list one failure per address on lines of
// their own, and a configuration error lists one line per bad variable.
func flatten(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "; ")
}
