package httpapi

import (
	"net"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// headerForwardedFor is the header a reverse proxy appends the address it was reached
// from to.
const headerForwardedFor = "X-Forwarded-For"

// clientAddr is the address a request came from, the rate-limit identity when auth is off.
// It is the socket's peer unless that peer is one of Config.TrustedProxies: then the
// X-Forwarded-For chain is read from the right, skipping trusted proxies, and the first
// address that is not one is the client. Everything left of that address was written by
// the client itself and is never believed; a request straight from an untrusted peer has
// its header ignored altogether, so nobody can pick their own bucket.
func (s *Server) clientAddr(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.IP()
	}
	peer = peer.Unmap()
	if !s.trusted(peer) {
		return peer.String()
	}
	var hops []string
	for _, v := range c.Request().Header.PeekAll(headerForwardedFor) {
		hops = append(hops, strings.Split(string(v), ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break // not written by a proxy of ours: the last trusted hop is all we know
		}
		client = a
		if !s.trusted(a) {
			break
		}
	}
	return client.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a port or in
// brackets, as proxies write them.
func parseHop(h string) (netip.Addr, bool) {
	h = strings.TrimSpace(h)
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	a, err := netip.ParseAddr(strings.Trim(h, "[]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}
