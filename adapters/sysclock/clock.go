// Package sysclock is the production ports.Clock: the machine's wall clock, in UTC.
package sysclock

import (
	"time"

	"taskrunner/ports"
)

var _ ports.Clock = Clock{}

// Clock reads the system clock. The zero value is ready to use.
type Clock struct{}

// Now returns the current time in UTC, so stored and rendered times never depend on the
// host's time zone.
func (Clock) Now() time.Time { return time.Now().UTC() }
