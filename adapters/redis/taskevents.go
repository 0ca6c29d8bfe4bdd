package redis

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"net"
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
type TaskEvents struct {
	client  *goredis.Client
	channel string
	log     *slog.Logger
}

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
	return &TaskEvents{client: client, channel: newKeys(prefix).eventsChannel, log: log}, nil
}

// Publish implements ports.TaskEvents: one PUBLISH per eventChunk tasks, all in one
// pipeline.
func (e *TaskEvents) Publish(ctx context.Context, tasks []domain.Task) error {
	if len(tasks) == 0 {
		return nil
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

// Subscribe implements ports.TaskEvents. It returns once Redis has confirmed the
// subscription.
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
	out := make(chan domain.TaskEvent, eventBuffer)
	go e.receive(ctx, ps, out)
	return out, nil
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
