package application

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"taskrunner/ports"
)

// CallbackDeps are the ports the webhook deliverer needs.
type CallbackDeps struct {
	Outbox   ports.CallbackOutbox
	Sender   ports.WebhookSender
	Encoder  ports.TaskEncoder
	Clock    ports.Clock
	Log      *slog.Logger
	Observer ports.WebhookObserver // nil: no metrics
	// Jitter returns a number in [0,1) for the retry backoff; nil means math/rand.
	Jitter func() float64
}

// CallbackConfig tunes the deliverer. Zero values take the defaults named on each field.
type CallbackConfig struct {
	// Secret is the HMAC key (the decoded bytes of WEBHOOK_SECRET); nil sends unsigned.
	Secret []byte
	// MaxAttempts (WEBHOOK_MAX_ATTEMPTS) ends delivery as failed; default 8.
	MaxAttempts int
	// Poll is the longest wait between claims when nothing nudges: how late a delivery owed
	// by another process (or a retry come due) may be noticed; default 1 s, at most 1 s.
	Poll time.Duration
	// Timeout bounds one attempt's POST; default 10 s.
	Timeout time.Duration
	// Lease is how long a claim keeps other deliverers off a delivery: longer than an
	// attempt can take, so a live deliverer is never doubled; after a crash the delivery is
	// retried when it ends. Default Timeout + 20 s.
	Lease time.Duration
	// Concurrency is how many deliveries run at once; default 8.
	Concurrency int
	OpTimeout   time.Duration // each outbox call; default 10 s
}

// Deliverer defaults.
const (
	DefaultWebhookMaxAttempts = 8
	maxCallbackPoll           = time.Second
	defaultCallbackTimeout    = 10 * time.Second
	defaultCallbackWorkers    = 8
)

func (c CallbackConfig) withDefaults() (CallbackConfig, error) {
	if c.MaxAttempts < 0 || c.Poll < 0 || c.Timeout < 0 || c.Lease < 0 || c.Concurrency < 0 || c.OpTimeout < 0 {
		return c, errors.New("application: callback deliverer settings must not be negative")
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultWebhookMaxAttempts
	}
	if c.Poll == 0 || c.Poll > maxCallbackPoll {
		c.Poll = maxCallbackPoll
	}
	if c.Timeout == 0 {
		c.Timeout = defaultCallbackTimeout
	}
	if c.Lease == 0 {
		c.Lease = c.Timeout + 20*time.Second
	}
	if c.Lease <= c.Timeout {
		return c, errors.New("application: callback Lease must be longer than Timeout")
	}
	if c.Concurrency == 0 {
		c.Concurrency = defaultCallbackWorkers
	}
	if c.OpTimeout == 0 {
		c.OpTimeout = DefaultWorkerOpTimeout
	}
	return c, nil
}

// CallbackDeliverer sends the webhooks of finished tasks from the outbox: it claims due
// deliveries (any process may have owed them), POSTs each, and records the outcome. It
// wakes when Nudge says this process just finished a task with a callback, and at least
// every Poll for the rest. Delivery is at least once: a crash between the POST and the
// record sends again when the claim's lease ends.
type CallbackDeliverer struct {
	deps  CallbackDeps
	cfg   CallbackConfig
	nudge chan struct{}

	bg background
}

// NewCallbackDeliverer returns the deliverer, or an error naming a missing dependency.
func NewCallbackDeliverer(d CallbackDeps, cfg CallbackConfig) (*CallbackDeliverer, error) {
	if d.Outbox == nil || d.Sender == nil || d.Encoder == nil || d.Clock == nil || d.Log == nil {
		return nil, errors.New("application: callback deliverer needs Outbox, Sender, Encoder, Clock and Log")
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if d.Jitter == nil {
		d.Jitter = randFloat
	}
	return &CallbackDeliverer{deps: d, cfg: c, nudge: make(chan struct{}, 1)}, nil
}

// Nudge wakes the deliverer for a delivery just made due. It never blocks; nudges that
// arrive while one is pending merge into it. Safe on a nil deliverer (none wired).
func (d *CallbackDeliverer) Nudge() {
	if d == nil {
		return
	}
	select {
	case d.nudge <- struct{}{}:
	default:
	}
}

// Start runs the delivery loop in the background until Stop.
func (d *CallbackDeliverer) Start(ctx context.Context) error {
	return d.bg.start(ctx, "callback deliverer", d.run)
}

// Stop ends the loop, cancelling attempts in flight (their claims lapse and another
// deliverer retries them), and waits for it and for them. Idempotent, and safe before Start.
func (d *CallbackDeliverer) Stop(ctx context.Context) error {
	return d.bg.halt(ctx)
}
