package redis

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskEvents = (*TaskEvents)(nil)

const eventService = "task events"

// Bounds of the events channel.
const (
	// eventChunk is the most tasks one message carries; a larger batch is cut into several
	// messages, sent in one pipeline (one round trip).
	eventChunk = 256
	// eventBuffer is each subscriber's buffer in events.
	eventBuffer = 4096
	// eventIdle is how long a subscription may hear nothing before it pings Redis, so a
	// connection that died silently is found and replaced.
	eventIdle = 30 * time.Second
	// eventRetry is the pause after a failed receive before the next try.
	eventRetry = 200 * time.Millisecond
)

// TaskEvents is ports.TaskEvents over Redis pub/sub on one prefixed channel.
//
// A message carries whole tasks, gob-encoded, not ids: an event must show the task as
// stored, and every API process receives every message; with ids only, each process would
// read each changed task back from PostgreSQL (processes x changes reads of the record)
// although the writer already holds the task it stored. gob rather than a hand-kept wire
// struct so that a field added to domain.Task travels without anyone remembering this
// file, and a process of another version ignores fields it does not know. The price is a
// larger message (params and result ride along), which the chunking bounds.
//
// Pub/sub keeps nothing: a subscriber that is disconnected loses what was published
// meanwhile, and its next event says so (Missed).
//
// Publishing only while someone listens: every subscription registers itself in a sorted
// set (member: the subscription, score: when its registration lapses, in Redis's own
// clock) before Subscribe returns, and renews it every listenerRefresh while it lives.
// Publish asks that set first and encodes and sends nothing when no registration is
// current, which is most of the time (API processes subscribe only while a stream or a
// wait is open), so a busy worker no longer encodes every task twice for no reader. The
// order makes it exact: a change committed after a Subscribe returned is published after
// the registration, so its publisher sees the registration. The one gap: a FLUSHALL
// drops the set, and publishers are silent until the next renewal (at most
// listenerRefresh later).
type TaskEvents struct {
	client    *goredis.Client
	channel   string
	listeners string
	log       *slog.Logger
	// heardUntil (unix ns): a publisher that saw a registration publishes without asking
	// again until then; sending to nobody is harmless, missing a listener is not, so only
	// a yes is remembered.
	heardUntil atomic.Int64
}

// Listener registration bounds (see TaskEvents).
const (
	listenerTTL      = 10 * time.Second
	listenerRefresh  = time.Second
	listenerSeenFor  = time.Second
	listenerIDBytes  = 8
	listenerOpBudget = 2 * time.Second
)

// listenScript registers ARGV[1] until ARGV[2] ms from now and drops lapsed ones; times
// are Redis's, so the processes' clocks never need to agree.
var listenScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`)

// listeningScript counts the registrations that have not lapsed.
var listeningScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`)

// eventMessage is the payload of one PUBLISH.
type eventMessage struct {
	Tasks []domain.Task
}

// NewTaskEvents returns the feed of the deployment under prefix (REDIS_PREFIX). log
// receives undecodable messages (nil: discarded).
func NewTaskEvents(client *goredis.Client, prefix string, log *slog.Logger) (*TaskEvents, error) {
	if client == nil {
		return nil, errors.New("redis task events: client is nil")
	}
	if err := ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	k := newKeys(prefix)
	return &TaskEvents{client: client, channel: k.eventsChannel, listeners: k.eventsListeners, log: log}, nil
}

// Publish implements ports.TaskEvents: one PUBLISH per eventChunk tasks, all in one
// pipeline.
func (e *TaskEvents) Publish(ctx context.Context, tasks []domain.Task) error {
	if len(tasks) == 0 {
		return nil
	}
	if listening, err := e.anyoneListening(ctx); err != nil || !listening {
		return err
	}
	payloads := make([][]byte, 0, (len(tasks)+eventChunk-1)/eventChunk)
	for start := 0; start < len(tasks); start += eventChunk {
		chunk := tasks[start:min(start+eventChunk, len(tasks))]
		msg := eventMessage{Tasks: make([]domain.Task, len(chunk))}
		for i, t := range chunk {
			msg.Tasks[i] = t
			msg.Tasks[i].ClientID = ""
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(msg); err != nil {
			return fmt.Errorf("redis task events: encode: %w", err)
		}
		payloads = append(payloads, buf.Bytes())
	}
	if len(payloads) == 1 {
		return translate(ctx, eventService, e.client.Publish(ctx, e.channel, payloads[0]).Err())
	}
	_, err := e.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, b := range payloads {
			p.Publish(ctx, e.channel, b)
		}
		return nil
	})
	return translate(ctx, eventService, err)
}

// anyoneListening reports whether a subscription is registered (see TaskEvents).
func (e *TaskEvents) anyoneListening(ctx context.Context) (bool, error) {
	if time.Now().UnixNano() < e.heardUntil.Load() {
		return true, nil
	}
	n, err := listeningScript.Run(ctx, e.client, []string{e.listeners}).Int64()
	if err != nil {
		return false, translate(ctx, eventService, err)
	}
	if n > 0 {
		e.heardUntil.Store(time.Now().Add(listenerSeenFor).UnixNano())
	}
	return n > 0, nil
}

// Subscribe implements ports.TaskEvents. It returns once Redis has confirmed the
// subscription and the subscription is registered as a listener.
func (e *TaskEvents) Subscribe(ctx context.Context) (<-chan domain.TaskEvent, error) {
	ps := e.client.Subscribe(ctx, e.channel)
	rctx, cancel := context.WithTimeout(ctx, subscribeTimeout)
	defer cancel()
	msg, err := ps.Receive(rctx)
	if err != nil {
		_ = ps.Close()
		return nil, translate(ctx, eventService, err)
	}
	if _, ok := msg.(*goredis.Subscription); !ok {
		_ = ps.Close()
		return nil, fmt.Errorf("redis task events: expected a subscription confirmation, got %T", msg)
	}
	b := make([]byte, listenerIDBytes)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	if err := e.listen(rctx, id); err != nil {
		_ = ps.Close()
		return nil, translate(ctx, eventService, err)
	}
	out := make(chan domain.TaskEvent, eventBuffer)
	go e.keepListening(ctx, id)
	go e.receive(ctx, ps, out)
	return out, nil
}

func (e *TaskEvents) listen(ctx context.Context, id string) error {
	return listenScript.Run(ctx, e.client, []string{e.listeners}, id, listenerTTL.Milliseconds()).Err()
}

// keepListening renews the registration until ctx ends, then withdraws it.
func (e *TaskEvents) keepListening(ctx context.Context, id string) {
	tick := time.NewTicker(listenerRefresh)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), listenerOpBudget)
			_ = e.client.ZRem(wctx, e.listeners, id).Err() // else it lapses by itself
			cancel()
			return
		case <-tick.C:
			lctx, cancel := context.WithTimeout(ctx, listenerOpBudget)
			if err := e.listen(lctx, id); err != nil && ctx.Err() == nil {
				e.log.Warn("task_events_listen_failed", "error", err.Error())
			}
			cancel()
		}
	}
}

// receive forwards messages until ctx ends. It reads with ReceiveTimeout rather than
// go-redis's Channel so that it sees a reconnect (which may have lost messages) and can
// flag the next event as Missed.
func (e *TaskEvents) receive(ctx context.Context, ps *goredis.PubSub, out chan<- domain.TaskEvent) {
	defer close(out)
	// A receive waits on the socket, not on ctx: closing the subscription ends it.
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	defer func() {
		if stop() {
			_ = ps.Close()
		}
	}()
	missed := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, eventIdle)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// Quiet, not broken: a ping proves the connection (its answer is received
				// as a Pong); a failed one makes the next receive reconnect.
				if ps.Ping(ctx) == nil {
					continue
				}
			}
			missed = true
			select {
			case <-ctx.Done():
				return
			case <-time.After(eventRetry):
			}
			continue
		}
		m, ok := msg.(*goredis.Message)
		if !ok {
			continue // subscription confirmations after a reconnect, pongs
		}
		var decoded eventMessage
		if err := gob.NewDecoder(bytes.NewReader([]byte(m.Payload))).Decode(&decoded); err != nil {
			e.log.Warn("task_event_undecodable", "error", err.Error(), "bytes", len(m.Payload))
			missed = true
			continue
		}
		for _, t := range decoded.Tasks {
			select {
			case out <- domain.TaskEvent{Task: t, Missed: missed}:
				missed = false
			default:
				missed = true // the subscriber is behind: drop, and say so next time
			}
		}
	}
}
