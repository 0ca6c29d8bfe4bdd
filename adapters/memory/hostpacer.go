package memory

import (
	"context"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.HostPacer = (*HostPacer)(nil)

// HostPacer is ports.HostPacer for one process: per host, the time after which the next
// booking may start and the bookings kept for holders that were told to come back.
type HostPacer struct {
	mu    sync.Mutex
	hosts map[string]*hostPace
}

type hostPace struct {
	next   time.Time            // the earliest start of the next booking
	booked map[string]time.Time // holder -> kept start
}

// NewHostPacer returns an empty pacer.
func NewHostPacer() *HostPacer { return &HostPacer{hosts: map[string]*hostPace{}} }

// Reserve implements ports.HostPacer.
func (p *HostPacer) Reserve(ctx context.Context, r domain.PaceRequest) (domain.PaceDecision, error) {
	if err := ctx.Err(); err != nil {
		return domain.PaceDecision{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forgetIdle(r.Now)
	h := p.hosts[r.Host]
	if h == nil {
		h = &hostPace{booked: map[string]time.Time{}}
		p.hosts[r.Host] = h
	}
	for holder, at := range h.booked {
		if at.Before(r.Now) {
			delete(h.booked, holder)
		}
	}
	if at, ok := h.booked[r.Holder]; ok {
		if at.Sub(r.Now) <= r.MaxWait {
			delete(h.booked, r.Holder)
			return domain.PaceDecision{Granted: true, At: at}, nil
		}
		return domain.PaceDecision{At: at}, nil
	}
	at := r.Now
	if h.next.After(at) {
		at = h.next
	}
	h.next = at.Add(r.Interval)
	if at.Sub(r.Now) <= r.MaxWait {
		return domain.PaceDecision{Granted: true, At: at}, nil
	}
	h.booked[r.Holder] = at
	return domain.PaceDecision{At: at}, nil
}

// forgetIdle drops hosts with nothing booked whose last booking has ended, so the map holds
// only hosts fetched lately.
func (p *HostPacer) forgetIdle(now time.Time) {
	if len(p.hosts) < 1024 {
		return
	}
	for host, h := range p.hosts {
		if len(h.booked) == 0 && !h.next.After(now) {
			delete(p.hosts, host)
		}
	}
}
