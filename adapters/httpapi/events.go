package httpapi

import (
	"bufio"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// Defaults of the event stream's Config fields.
const (
	DefaultEventsKeepAlive    = 15 * time.Second
	DefaultEventsWriteTimeout = 10 * time.Second
)

// streamEvents serves GET /events as Server-Sent Events. The handler only validates and
// subscribes; the stream itself is written by fasthttp's body-stream writer after the
// handler returned (the middleware chain, the access log included, is done by then). It
// ends when the client goes (a write fails or times out), when the stream fell behind
// (the client reconnects with Last-Event-ID), or when the server stops: Stop ends the
// server's lifetime context first, so an open stream never holds up a graceful shutdown.
func (s *Server) streamEvents(c *fiber.Ctx) error {
	if s.deps.Events == nil {
		return domain.NewError(domain.CodeUnavailable, "the event stream is not served by this process")
	}
	f, err := eventFilter(c)
	if err != nil {
		return err
	}
	lastID := c.Get("Last-Event-ID")
	stream, err := s.deps.Events.Stream(f, lastID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("X-Accel-Buffering", "no") // proxies such as nginx would otherwise buffer the stream
	c.Status(http.StatusOK)
	w := &eventWriter{conn: c.Context().Conn(), timeout: s.cfg.EventsWriteTimeout}
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		defer stream.Close()
		w.bw = bw
		s.writeStream(w, stream, lastID != "")
	})
	return nil
}

// writeStream writes the opening comment, the replay and then live events and
// keep-alive comments until the stream ends.
func (s *Server) writeStream(w *eventWriter, stream *application.EventStream, askedResume bool) {
	opening := ": connected\n\n"
	if askedResume && !stream.Resumed {
		// "Where possible": the id is from another API process, a previous run of this
		// one, older than the kept events, or before events were lost.
		opening = ": connected; resuming after Last-Event-ID is not possible, events start now\n\n"
	}
	if w.comment(opening) != nil {
		return
	}
	for _, ev := range stream.Replay {
		if w.event(ev) != nil {
			return
		}
	}
	keepAlive := time.NewTicker(s.cfg.EventsKeepAlive)
	defer keepAlive.Stop()
	for {
		var err error
		select {
		case ev := <-stream.C():
			err = w.event(ev)
		case <-keepAlive.C:
			err = w.comment(": keep-alive\n\n")
		case <-stream.Lost():
			_ = w.comment(": events were lost; reconnect with Last-Event-ID to resume\n\n")
			return
		case <-s.life.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// eventWriter writes SSE frames, each flushed within its own write deadline: fasthttp
// sets one deadline for a whole response, which a long-lived stream would outlive, so
// each flush moves the connection's deadline to now + timeout; a client that stops
// reading fails the write after that long and the stream ends.
type eventWriter struct {
	bw      *bufio.Writer
	conn    net.Conn
	timeout time.Duration
}

func (w *eventWriter) comment(text string) error {
	if _, err := w.bw.WriteString(text); err != nil {
		return err
	}
	return w.flush()
}

func (w *eventWriter) event(ev application.HubEvent) error {
	body, err := marshalJSON(newTaskView(ev.Task))
	if err != nil {
		return err
	}
	// The task JSON is one line (marshalJSON emits no newline inside it), so one data line.
	w.bw.WriteString("event: task\nid: ")
	w.bw.WriteString(ev.ID)
	w.bw.WriteString("\ndata: ")
	w.bw.Write(body)
	w.bw.WriteString("\n\n")
	return w.flush()
}

func (w *eventWriter) flush() error {
	if w.conn != nil {
		_ = w.conn.SetWriteDeadline(time.Now().Add(w.timeout))
	}
	return w.bw.Flush()
}
