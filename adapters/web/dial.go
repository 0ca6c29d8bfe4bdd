package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// dialer resolves names itself and connects through a net.Dialer whose Control hook checks
// the address the socket is about to connect to. Checking there, rather than after a
// separate lookup, closes the DNS-rebinding gap: the address judged is the address used.
type dialer struct {
	resolver     Resolver
	allowPrivate bool
	isPublic     func(netip.Addr) bool // publicAddr; tests may widen it
}

// blockedAddrError is returned by the Control hook; translate turns it into fetch_blocked.
type blockedAddrError struct{ addr netip.Addr }

func (e *blockedAddrError) Error() string {
	return fmt.Sprintf("address %s is not a public address", e.addr)
}

// control runs after the socket is created and before connect(2), so a refused address
// never receives a packet.
func (d *dialer) control(network, address string, _ syscall.RawConn) error {
	if d.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &blockedAddrError{}
	}
	if !d.isPublic(ap.Addr()) {
		return &blockedAddrError{addr: ap.Addr()}
	}
	return nil
}

// DialContext resolves host and tries its addresses in order until one connects.
func (d *dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		addrs, err = d.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		if len(addrs) == 0 {
			return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
	}
	nd := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: d.control}
	var errs []error
	for _, a := range addrs {
		conn, err := nd.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}
