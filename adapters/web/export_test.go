package web

import "net/netip"

// PublicAddr exposes the address policy to the external tests.
var PublicAddr = publicAddr

// NewTreating returns a Fetcher whose guard also treats the given addresses as public, so a
// test server on loopback can stand in for a public site while everything else stays
// guarded.
func NewTreating(cfg Config, public ...netip.Addr) *Fetcher {
	f := New(cfg)
	return newFetcher(f.cfg, func(a netip.Addr) bool {
		for _, p := range public {
			if a.Unmap() == p {
				return true
			}
		}
		return publicAddr(a)
	})
}
