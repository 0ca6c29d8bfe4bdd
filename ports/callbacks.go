package ports

import (
	"context"
	"net/http"
	"time"

	"taskrunner/domain"
)

// CallbackOutbox is the durable record of the webhooks owed for finished tasks. A task's
// callback becomes due in the same write that makes the task final (domain.Task.finish),
// so a claim here finds every delivery still owed, whatever process wrote the final state
// and whether or not it lived to send it.
type CallbackOutbox interface {
	// ClaimDueCallbacks returns up to c.Limit final tasks whose callback is pending and due
	// at or before c.Now, oldest due first. Each claimed callback has its Attempts counted
	// and its NextAt moved to c.LeaseUntil in the same atomic step, so no other claim (in
	// this process or another) returns it again before the lease ends; rows another claim
	// is taking at the same moment are skipped, not waited for. Nothing due: an empty slice.
	ClaimDueCallbacks(ctx context.Context, c domain.CallbackClaim) ([]domain.Task, error)
	// RecordCallback writes r.Result's Status, LastError and NextAt, but only while the
	// callback is still pending at attempt r.Attempt: when the claim lapsed and a later one
	// took the delivery over (or the task is gone) it writes nothing and returns an error
	// matching domain.ErrConflict (domain.ErrNotFound for an unknown task). It returns the
	// task as stored.
	RecordCallback(ctx context.Context, r domain.CallbackRecord) (domain.Task, error)
}

// WebhookRequest is one signed POST of a delivery.
type WebhookRequest struct {
	URL    string
	Header http.Header // webhook-id, webhook-timestamp, webhook-signature; Content-Type is the sender's
	Body   []byte
}

// WebhookSender makes one HTTP POST to a receiver.
type WebhookSender interface {
	// Send posts r and returns the status code of the answer. An error means no answer
	// came: it is a *domain.Error, Retryable unless no retry can help (the address is
	// refused by the SSRF guard: code fetch_blocked).
	Send(ctx context.Context, r WebhookRequest) (status int, err error)
}

// TaskEncoder renders a task as the API's task JSON, the body of a webhook: the same
// bytes GET /tasks/{id} answers, so a receiver parses one shape.
type TaskEncoder interface {
	// EncodeTask returns the task's JSON.
	EncodeTask(t domain.Task) ([]byte, error)
}

// WebhookObserver is told about every finished delivery attempt, for metrics. It must not
// block.
type WebhookObserver interface {
	// WebhookAttempted reports one attempt: outcome is delivered, retry or failed.
	WebhookAttempted(outcome string, d time.Duration)
}
