package httpapi

import (
	"net"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// freshConns tracks connections that were accepted but have not delivered a request yet.
// fasthttp marks a new connection active before it reads anything, and its graceful
// Shutdown waits for active connections: one that never sends a request (HTTP clients open
// such spare connections ahead of need) would hold Stop until its deadline. Stop closes
// them; they carry no work.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func newFreshConns() *freshConns { return &freshConns{conns: map[net.Conn]struct{}{}} }

// track is fasthttp's ConnState hook: a new connection is fresh until it has served a
// request (idle) or is gone. Later requests on a kept-alive connection are not a concern:
// fasthttp marks those active only once their first byte arrived, and closes idle ones.
func (f *freshConns) track(c net.Conn, st fasthttp.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch st {
	case fasthttp.StateNew:
		f.conns[c] = struct{}{}
	case fasthttp.StateActive:
	default:
		delete(f.conns, c)
	}
}

// delivered is the first middleware: the connection has sent a whole request header.
func (f *freshConns) delivered(c *fiber.Ctx) error {
	conn := c.Context().Conn()
	f.mu.Lock()
	delete(f.conns, conn)
	f.mu.Unlock()
	return c.Next()
}

// closeAll closes every connection still waiting for its first request.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		_ = c.Close()
		delete(f.conns, c)
	}
}
