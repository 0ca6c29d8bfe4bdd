package httpapi

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of a lingering close: how long and how much of the client's unread upload is read
// and dropped after the response, before the connection is closed for good.
const (
	lingerTimeout  = 2 * time.Second
	lingerMaxBytes = 4 << 20
)

// lingerListener wraps accepted connections in lingerConn.
type lingerListener struct{ net.Listener }

func (l lingerListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &lingerConn{Conn: c}, nil
}

// lingerConn closes gracefully when a request was answered without its body being read
// (settleBody): closing a socket with unread input makes the kernel send a reset, which
// can destroy the response before the client reads it, so a client whose upload was
// refused would see "connection reset" instead of our 413 or 401. Instead the write side
// is shut (the response is followed by a FIN) and the rest of the upload is read and
// dropped for a bounded time in the background, as net/http and nginx do.
type lingerConn struct {
	net.Conn
	linger atomic.Bool
	once   sync.Once
}

// lingerOnClose asks for a graceful close.
func (c *lingerConn) lingerOnClose() { c.linger.Store(true) }

// Close closes at once, or gracefully when lingerOnClose was called. It is safe to call
// more than once.
func (c *lingerConn) Close() error {
	tc, ok := c.Conn.(*net.TCPConn)
	if !c.linger.Load() || !ok {
		return c.Conn.Close()
	}
	c.once.Do(func() {
		_ = tc.CloseWrite()
		go func() {
			_ = tc.SetReadDeadline(time.Now().Add(lingerTimeout))
			_, _ = io.CopyN(io.Discard, tc, lingerMaxBytes)
			_ = tc.Close()
		}()
	})
	return nil
}
