package harness

import (
	"net"
	"testing"
)

// RefusedAddr returns a loopback address that refuses connections (a port taken and closed
// again): a backing service that is down, for the tests of how an adapter or the wiring
// reports one.
func RefusedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("harness: listen on loopback: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("harness: close listener: %v", err)
	}
	return addr
}
