package application

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Defaults of EventHubConfig.
const (
	DefaultEventRing         = 4096
	DefaultEventStreamBuffer = 256
	DefaultMaxEventStreams   = 100
	DefaultMaxTaskWaiters    = 10000
	// DefaultEventLinger is how long the hub stays subscribed after its last stream or wait
	// ended: a client that reconnects within it resumes after its Last-Event-ID.
	DefaultEventLinger = time.Minute
	// hubResubscribeDelay is the pause before subscribing again after the feed's channel
	// closed or a subscription failed.
	hubResubscribeDelay = time.Second
)

// EventHubConfig bounds the hub.
type EventHubConfig struct {
	// Ring is how many recent events are kept for Last-Event-ID resumption.
	Ring int
	// StreamBuffer is how many events a stream may be behind before it is dropped.
	StreamBuffer int
	// MaxStreams caps concurrent streams; MaxWaiters caps concurrent waits on a task.
	MaxStreams, MaxWaiters int
	// Linger is how long the subscription outlives the last stream or wait.
	Linger time.Duration
}

// EventHubDeps are the hub's ports.
type EventHubDeps struct {
	Events ports.TaskEvents
	Log    *slog.Logger
}

// HubEvent is one task change as the API serves it, with its event id.
type HubEvent struct {
	// ID is "<epoch>-<seq>": the epoch names this hub (one per API process, fresh at each
	// start), seq counts its events, so an id says whether this hub can resume after it.
	ID   string
	seq  uint64
	Task domain.Task
}

// EventHub is one API process's view of the task-change feed: it holds the process's one
// subscription, numbers the events, keeps the last Ring of them for resumption, and fans
// them out to event streams (GET /events) and to waits on one task (GET /tasks/{id}?wait).
// Every fan-out is a non-blocking send into a bounded buffer: a stream that falls behind
// is dropped (Lost), never waited for.
//
// The hub subscribes only while someone listens: the first stream or wait subscribes
// (and waits for the subscription, so nothing committed after it is missed), and the
// subscription ends Linger after the last one ended. Every change of every task reaches
// every subscribed process, so an API process nobody watches would otherwise decode the
// whole feed for nothing: under load that was a tenth of its CPU. The price is that
// resuming after a Last-Event-ID works only across a reconnect within Linger.
type EventHub struct {
	deps  EventHubDeps
	cfg   EventHubConfig
	epoch string

	// subMu serialises subscribing and unsubscribing (each waits on the feed); it is
	// taken before mu, never after.
	subMu sync.Mutex
	life  context.Context // from Start to Stop; nil before Start
	stop  context.CancelFunc

	mu      sync.Mutex
	seq     uint64
	gapSeq  uint64 // the first seq after the last loss of the feed; 0 when none
	ring    []HubEvent
	ringAt  int // index of the oldest event once the ring is full
	streams map[*EventStream]struct{}
	waiters map[string]map[*taskWaiter]struct{}
	nwait   int
	users   int              // open streams and waits, each holding the subscription
	sub     *hubSubscription // nil while not subscribed
	linger  *time.Timer      // ends the subscription once users stayed 0 for Linger
}

// hubSubscription is one period of being subscribed.
type hubSubscription struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when its dispatch loop returned
}

// NewEventHub returns a hub; after Start, its first stream or wait subscribes it.
func NewEventHub(deps EventHubDeps, cfg EventHubConfig) (*EventHub, error) {
	if deps.Events == nil || deps.Log == nil {
		return nil, errors.New("application: NewEventHub needs Events and Log")
	}
	defaults := []struct {
		v *int
		d int
	}{
		{&cfg.Ring, DefaultEventRing}, {&cfg.StreamBuffer, DefaultEventStreamBuffer},
		{&cfg.MaxStreams, DefaultMaxEventStreams}, {&cfg.MaxWaiters, DefaultMaxTaskWaiters},
	}
	if cfg.Linger <= 0 {
		cfg.Linger = DefaultEventLinger
	}
	for _, d := range defaults {
		if *d.v <= 0 {
			*d.v = d.d
		}
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &EventHub{deps: deps, cfg: cfg, epoch: hex.EncodeToString(b),
		streams: map[*EventStream]struct{}{}, waiters: map[string]map[*taskWaiter]struct{}{}}, nil
}

// Start readies the hub; it subscribes to the feed only when a stream or a wait needs it.
func (h *EventHub) Start(context.Context) error {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	// The subscriptions live as long as the hub, not the start context; the adapters bound
	// the wait for each to be established themselves.
	h.life, h.stop = context.WithCancel(context.Background())
	return nil
}

// Stop ends the subscription and every stream. It is idempotent.
func (h *EventHub) Stop(ctx context.Context) error {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	if h.stop == nil {
		return nil
	}
	h.stop()
	h.mu.Lock()
	sub := h.sub
	h.sub = nil
	if h.linger != nil {
		h.linger.Stop()
	}
	h.mu.Unlock()
	if sub != nil {
		select {
		case <-sub.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	h.mu.Lock()
	for s := range h.streams {
		h.loseLocked(s)
	}
	h.mu.Unlock()
	return nil
}

// ErrEventsUnavailable is returned when the hub cannot subscribe to the feed.
var ErrEventsUnavailable = domain.NewError(domain.CodeUnavailable, "the task-change feed is not reachable; try again later")

// acquire counts one more user of the subscription, subscribing first when there is
// none; the caller releases it when done. Once it returns, every change committed
// afterwards reaches the hub.
func (h *EventHub) acquire() error {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	if h.life == nil || h.life.Err() != nil {
		return ErrEventsUnavailable
	}
	h.mu.Lock()
	if h.linger != nil {
		h.linger.Stop()
	}
	if h.sub != nil {
		h.users++
		h.mu.Unlock()
		return nil
	}
	h.mu.Unlock()
	sctx, cancel := context.WithCancel(h.life)
	ch, err := h.deps.Events.Subscribe(sctx)
	if err != nil {
		cancel()
		h.deps.Log.Warn("task_events_subscribe_failed", "error", err.Error())
		return ErrEventsUnavailable
	}
	sub := &hubSubscription{cancel: cancel, done: make(chan struct{})}
	h.mu.Lock()
	// Nothing before this subscription can be resumed after: the feed went by unheard.
	h.gapSeq = h.seq + 1
	h.sub = sub
	h.users++
	h.mu.Unlock()
	go h.run(sctx, ch, sub.done)
	return nil
}

// release ends one use; the last one starts the linger.
func (h *EventHub) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.users--
	if h.users > 0 || h.sub == nil {
		return
	}
	if h.linger == nil {
		h.linger = time.AfterFunc(h.cfg.Linger, h.unsubscribeIdle)
	} else {
		h.linger.Reset(h.cfg.Linger)
	}
}

// unsubscribeIdle ends the subscription if nobody took it up again meanwhile.
func (h *EventHub) unsubscribeIdle() {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	h.mu.Lock()
	sub := h.sub
	if h.users > 0 || sub == nil {
		h.mu.Unlock()
		return
	}
	h.sub = nil
	h.mu.Unlock()
	sub.cancel()
	<-sub.done
	h.deps.Log.Debug("task_events_unsubscribed")
}

// Subscribed reports whether the hub holds a subscription to the feed now.
func (h *EventHub) Subscribed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sub != nil
}

func (h *EventHub) run(ctx context.Context, ch <-chan domain.TaskEvent, done chan struct{}) {
	defer close(done)
	for {
		for ev := range ch {
			h.dispatch(ev)
		}
		if ctx.Err() != nil {
			return
		}
		h.deps.Log.Warn("task_events_resubscribe")
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(hubResubscribeDelay):
			}
			var err error
			if ch, err = h.deps.Events.Subscribe(ctx); err == nil {
				break
			}
			h.deps.Log.Warn("task_events_subscribe_failed", "error", err.Error())
		}
		h.dispatch(domain.TaskEvent{Missed: true}) // a gap without a task
	}
}

// dispatch numbers ev, keeps it, and hands it to the streams and waiters it concerns.
func (h *EventHub) dispatch(ev domain.TaskEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.Missed {
		h.gapSeq = h.seq + 1
		for s := range h.streams {
			h.loseLocked(s) // its client reconnects, and learns that resuming is not possible
		}
		for _, ws := range h.waiters {
			for w := range ws {
				w.wakeLocked(nil)
			}
		}
	}
	if ev.Task.ID == "" {
		return
	}
	h.seq++
	he := HubEvent{ID: h.epoch + "-" + strconv.FormatUint(h.seq, 10), seq: h.seq, Task: ev.Task}
	if len(h.ring) < h.cfg.Ring {
		h.ring = append(h.ring, he)
	} else {
		h.ring[h.ringAt] = he
		h.ringAt = (h.ringAt + 1) % len(h.ring)
	}
	for s := range h.streams {
		if !s.filter.Match(&he.Task) {
			continue
		}
		select {
		case s.c <- he:
		default:
			h.loseLocked(s)
		}
	}
	for w := range h.waiters[he.Task.ID] {
		w.wakeLocked(&he.Task)
	}
}

// EventStream is one subscriber of the hub: Replay first, then C until Lost.
type EventStream struct {
	// Replay holds the kept events after the Last-Event-ID, when Resumed.
	Replay []HubEvent
	// Resumed says the stream continues exactly after the Last-Event-ID it was given.
	Resumed bool
	filter  EventFilter
	held    bool // it holds the hub's subscription until Close (under hub.mu)
	c       chan HubEvent
	lost    chan struct{}
	hub     *EventHub
}

// C delivers the live events, in order.
func (s *EventStream) C() <-chan HubEvent { return s.c }

// Lost is closed when the stream fell behind (or the hub stopped): events are missing
// after what C delivered, and the stream should end so its client reconnects.
func (s *EventStream) Lost() <-chan struct{} { return s.lost }

// Close unsubscribes the stream. It is idempotent.
func (s *EventStream) Close() {
	s.hub.mu.Lock()
	delete(s.hub.streams, s)
	held := s.held
	s.held = false
	s.hub.mu.Unlock()
	if held {
		s.hub.release()
	}
}

func (h *EventHub) loseLocked(s *EventStream) {
	if _, ok := h.streams[s]; ok {
		delete(h.streams, s)
		close(s.lost)
	}
}

// ErrTooManyStreams is returned by Stream when MaxStreams streams are open.
var ErrTooManyStreams = domain.NewError(domain.CodeUnavailable, "too many event streams are open; try again later")

// Stream subscribes to the events f matches. With a lastEventID this hub issued and still
// holds everything after (no older than the ring, no loss since), the stream is Resumed:
// Replay holds the matching events after it and C continues without a gap or repeat.
// Otherwise it starts with the next event.
func (h *EventHub) Stream(f EventFilter, lastEventID string) (*EventStream, error) {
	if h.streamCount() >= h.cfg.MaxStreams {
		return nil, ErrTooManyStreams
	}
	if err := h.acquire(); err != nil {
		return nil, err
	}
	s, err := h.openStream(f, lastEventID)
	if err != nil {
		h.release()
	}
	return s, err
}

func (h *EventHub) streamCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.streams)
}

// openStream registers a stream that holds the subscription already acquired for it.
func (h *EventHub) openStream(f EventFilter, lastEventID string) (*EventStream, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.streams) >= h.cfg.MaxStreams { // others came in while this one subscribed
		return nil, ErrTooManyStreams
	}
	s := &EventStream{filter: f, held: true, c: make(chan HubEvent, h.cfg.StreamBuffer), lost: make(chan struct{}), hub: h}
	if after, ok := h.resumableLocked(lastEventID); ok {
		s.Resumed = true
		for i := range h.ring {
			ev := h.ring[(h.ringAt+i)%len(h.ring)]
			if ev.seq > after && f.Match(&ev.Task) {
				s.Replay = append(s.Replay, ev)
			}
		}
	}
	h.streams[s] = struct{}{}
	return s, nil
}

// resumableLocked parses id and reports the seq to resume after, when this hub can.
func (h *EventHub) resumableLocked(id string) (uint64, bool) {
	epoch, num, ok := strings.Cut(id, "-")
	if !ok || epoch != h.epoch {
		return 0, false
	}
	seq, err := strconv.ParseUint(num, 10, 64)
	if err != nil || seq > h.seq || (h.gapSeq > 0 && seq < h.gapSeq) {
		return 0, false
	}
	oldest := h.seq + 1 // with an empty ring, only "now" resumes
	if len(h.ring) > 0 {
		oldest = h.ring[h.ringAt].seq
	}
	return seq, seq+1 >= oldest
}
