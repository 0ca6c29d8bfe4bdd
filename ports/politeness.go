package ports

import (
	"context"

	"taskrunner/domain"
)

// HostPacer spaces the fetches of one host across every process that shares its backing
// store, so two fetches of a host start at least the interval apart.
type HostPacer interface {
	// Reserve books r.Holder the next start on r.Host: At = max(r.Now, the previous
	// booking + r.Interval); bookings are never closer than the interval of the later one.
	// A start within r.MaxWait of r.Now is granted (the caller waits until At, then
	// starts). A later one is kept for the holder and returned not granted: when the holder
	// asks again for the host no later than At, it gets the same At back (granted once it is
	// within MaxWait), however many others booked meanwhile. A holder asking after its At
	// has passed lost it and books afresh; bookings whose time has passed are dropped.
	Reserve(ctx context.Context, r domain.PaceRequest) (domain.PaceDecision, error)
}

// PageRenderer renders an HTML page in the formats that sit beside its text: markdown,
// its links, and the metadata of its head.
type PageRenderer interface {
	// Render returns the renderings in asks for, and always the metadata. It never fails
	// on malformed HTML; it bounds its own work (Truncated says a bound was reached) and
	// returns ctx's error once ctx ends.
	Render(ctx context.Context, in domain.RenderInput) (domain.Rendered, error)
}
