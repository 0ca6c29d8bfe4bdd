package ports

import "time"

// Clock tells the time. The application never calls time.Now, so tests can control time.
type Clock interface {
	// Now returns the current time in UTC.
	Now() time.Time
}
