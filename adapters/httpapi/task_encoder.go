package httpapi

import (
	"taskrunner/domain"
	"taskrunner/ports"
)

// callbackView is a task's callback as API.md shows it; last_error is null until an
// attempt failed. The URL is shown with its query values masked (domain.RedactCallbackURL):
// a token a receiver put there is not for everyone who may read the task, nor for the
// receiver's own logs of the body; the stored URL, which the deliverer uses, keeps them.
type callbackView struct {
	URL       string                `json:"url"`
	Status    domain.CallbackStatus `json:"status"`
	Attempts  int                   `json:"attempts"`
	LastError *string               `json:"last_error"`
}

func newCallbackView(c *domain.Callback) *callbackView {
	if c == nil {
		return nil
	}
	v := &callbackView{URL: domain.RedactCallbackURL(c.URL), Status: c.Status, Attempts: c.Attempts}
	if c.LastError != "" {
		e := c.LastError
		v.LastError = &e
	}
	return v
}

// TaskEncoder renders tasks exactly as GET /tasks/{id} answers them, for the webhook
// deliverer (ports.TaskEncoder): one serializer, so a receiver and an API client see the
// same JSON.
type TaskEncoder struct{}

var _ ports.TaskEncoder = TaskEncoder{}

// EncodeTask returns the task JSON.
func (TaskEncoder) EncodeTask(t domain.Task) ([]byte, error) { return marshalJSON(newTaskView(t)) }
