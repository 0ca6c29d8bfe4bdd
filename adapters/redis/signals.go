package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/ports"
)

var (
	_ ports.CancelSignals = (*CancelSignals)(nil)
	_ ports.Pinger        = (*CancelSignals)(nil)
)

const signalService = "cancel signals"

// subscribeTimeout bounds the wait for Redis to confirm a subscription.
const subscribeTimeout = 5 * time.Second

// signalBuffer absorbs bursts of cancels while the subscriber is busy.
const signalBuffer = 256

// CancelSignals is ports.CancelSignals over Redis pub/sub on one prefixed channel. Pub/sub
// is fire-and-forget, which the port allows: workers also see CancelRequested on the task
// record. go-redis resubscribes by itself after a dropped connection.
type CancelSignals struct {
	client  *goredis.Client
	channel string
}

// NewCancelSignals returns the signals of the deployment under prefix (REDIS_PREFIX).
func NewCancelSignals(client *goredis.Client, prefix string) (*CancelSignals, error) {
	if client == nil {
		return nil, errors.New("redis cancel signals: client is nil")
	}
	if err := ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	return &CancelSignals{client: client, channel: newKeys(prefix).cancelChannel}, nil
}

// Ping reports whether Redis answers.
func (s *CancelSignals) Ping(ctx context.Context) error { return ping(ctx, s.client, signalService) }

// Publish implements ports.CancelSignals.
func (s *CancelSignals) Publish(ctx context.Context, taskID string) error {
	return translate(ctx, signalService, s.client.Publish(ctx, s.channel, taskID).Err())
}

// Subscribe implements ports.CancelSignals. It returns once Redis has confirmed the
// subscription, so nothing published after it returns is missed.
func (s *CancelSignals) Subscribe(ctx context.Context) (<-chan string, error) {
	ps := s.client.Subscribe(ctx, s.channel)
	rctx, cancel := context.WithTimeout(ctx, subscribeTimeout)
	defer cancel()
	msg, err := ps.Receive(rctx)
	if err != nil {
		_ = ps.Close()
		return nil, translate(ctx, signalService, err)
	}
	if _, ok := msg.(*goredis.Subscription); !ok {
		_ = ps.Close()
		return nil, fmt.Errorf("redis cancel signals: expected a subscription confirmation, got %T", msg)
	}
	in := ps.Channel(goredis.WithChannelSize(signalBuffer))
	out := make(chan string, signalBuffer)
	go func() {
		defer close(out)
		defer func() { _ = ps.Close() }()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- m.Payload:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}
