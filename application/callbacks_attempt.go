package application

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

func randFloat() float64 { return rand.Float64() }

// Standard Webhooks headers.
const (
	headerWebhookID        = "webhook-id"
	headerWebhookTimestamp = "webhook-timestamp"
	headerWebhookSignature = "webhook-signature"
)

// deliver makes one attempt of t's claimed callback and records what came of it.
func (d *CallbackDeliverer) deliver(ctx context.Context, t domain.Task) {
	cb := *t.Callback
	began := time.Now()
	outcome := d.attempt(ctx, t)
	if ctx.Err() != nil {
		return // stopping: the claim lapses and a live deliverer makes this attempt again
	}
	cb.Conclude(outcome, d.cfg.MaxAttempts, d.deps.Clock.Now(), d.deps.Jitter())
	opCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.OpTimeout)
	_, err := d.deps.Outbox.RecordCallback(opCtx, domain.CallbackRecord{TaskID: t.ID, Attempt: cb.Attempts, Result: cb})
	cancel()
	if err != nil {
		// The POST happened; without a record the delivery is made again after the lease.
		d.deps.Log.Warn("webhook_record_failed", "task_id", t.ID, "attempt", cb.Attempts, "error", err.Error())
		return
	}
	// The URL is the submitter's and may carry a token in its query: it is not logged.
	attrs := []any{"task_id", t.ID, "attempt", cb.Attempts, "duration_ms", time.Since(began).Milliseconds()}
	switch cb.Status {
	case domain.CallbackDelivered:
		d.deps.Log.Info("webhook_delivered", attrs...)
	case domain.CallbackFailed:
		d.deps.Log.Warn("webhook_failed", append(attrs, "error", cb.LastError)...)
	default:
		d.deps.Log.Info("webhook_retry", append(attrs, "error", cb.LastError, "next_at", cb.NextAt.UTC())...)
	}
	if d.deps.Observer != nil {
		outcome := string(cb.Status)
		if cb.Status == domain.CallbackPending {
			outcome = "retry"
		}
		d.deps.Observer.WebhookAttempted(outcome, time.Since(began))
	}
}

// attempt signs and POSTs the task's JSON once.
func (d *CallbackDeliverer) attempt(ctx context.Context, t domain.Task) domain.DeliveryOutcome {
	body, err := d.deps.Encoder.EncodeTask(t)
	if err != nil {
		return domain.DeliveryOutcome{Permanent: true, Error: "the task could not be encoded"}
	}
	ts := d.deps.Clock.Now().Unix()
	h := http.Header{}
	// The task id is stable across retries, as webhook-id must be: a receiver dedupes on it.
	h.Set(headerWebhookID, t.ID)
	h.Set(headerWebhookTimestamp, strconv.FormatInt(ts, 10))
	if len(d.cfg.Secret) > 0 {
		h.Set(headerWebhookSignature, domain.SignWebhook(d.cfg.Secret, t.ID, ts, body))
	}
	sendCtx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	status, err := d.deps.Sender.Send(sendCtx, ports.WebhookRequest{URL: t.Callback.URL, Header: h, Body: body})
	switch {
	case err != nil:
		var de *domain.Error
		msg := err.Error()
		if errors.As(err, &de) {
			msg = de.Message
		}
		return domain.DeliveryOutcome{Permanent: !domain.IsRetryable(err), Error: msg}
	case status >= 200 && status < 300:
		return domain.DeliveryOutcome{Delivered: true}
	case status == http.StatusGone:
		return domain.DeliveryOutcome{Permanent: true, Error: "the receiver answered 410 Gone: delivery stopped"}
	default:
		return domain.DeliveryOutcome{Error: fmt.Sprintf("the receiver answered HTTP %d", status)}
	}
}
