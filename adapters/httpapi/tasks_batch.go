package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"taskrunner/application"
	"taskrunner/domain"
)

// batchRequest is the body of POST /tasks/batch.
type batchRequest struct {
	Tasks batchTasks `json:"tasks"`
}

// batchTasks holds a batch's task requests undecoded, so that each is decoded on its own
// and an error names its index. It keeps at most MaxBatchTasks+1 of them: enough to
// refuse an oversized batch, without holding a slice entry for every item of a body that
// packs millions of tiny ones into the body limit.
type batchTasks []json.RawMessage

// UnmarshalJSON takes the array's items as they are; encoding/json has already checked
// the syntax of the whole body before it calls this.
func (b *batchTasks) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		*b = nil
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return domain.InvalidRequest("tasks", "tasks must be an array of task requests")
	}
	items := batchTasks{}
	for dec.More() && len(items) <= application.MaxBatchTasks {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return domain.InvalidRequest("tasks", "tasks must be an array of task requests")
		}
		items = append(items, raw)
	}
	*b = items
	return nil
}

// taskBatchView is the answer to POST /tasks/batch: one task per request, in order.
type taskBatchView struct {
	Tasks []taskView `json:"tasks"`
}

// submitBatch answers 202 with every task of the batch, created or (for a repeated
// idempotency key) the earlier one in its place; any refusal refuses the whole batch.
func (s *Server) submitBatch(c *fiber.Ctx) error {
	if err := checkJSONHeaders(c); err != nil {
		return err
	}
	reqs, err := decodeBatch(c.BodyRaw())
	if err != nil {
		return err
	}
	ins := make([]application.SubmitInput, len(reqs))
	for i, tr := range reqs {
		typ := ""
		if tr.Type != nil {
			typ = *tr.Type
		}
		ins[i] = s.submitInput(c, typ, tr.Params, submitOptions{tr.TimeoutSeconds, tr.MaxRetries, tr.IdempotencyKey, tr.CallbackURL, tr.scheduleFields})
	}
	res, err := s.deps.Tasks.SubmitBatch(c.UserContext(), ins)
	if err != nil {
		return err
	}
	out := taskBatchView{Tasks: make([]taskView, len(res))}
	for i, r := range res {
		out.Tasks[i] = newTaskView(r.Task)
	}
	return writeJSON(c, http.StatusAccepted, out)
}

// decodeBatch decodes the body of POST /tasks/batch: strictly, as decodeBody does, then
// the count (1..MaxBatchTasks, before any task is decoded), then each task request.
func decodeBatch(body []byte) ([]submitRequest, error) {
	var req batchRequest
	if err := decodeStrict(body, &req); err != nil {
		return nil, err
	}
	if err := application.CheckBatchSize(len(req.Tasks)); err != nil {
		return nil, err
	}
	out := make([]submitRequest, len(req.Tasks))
	for i, raw := range req.Tasks {
		if err := decodeBatchItem(raw, i, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeBatchItem decodes the task request at index i as POST /tasks decodes its body:
// strictly, every error a 400 naming the field, and here the index too.
func decodeBatchItem(raw json.RawMessage, i int, dst *submitRequest) error {
	if trimmed := bytes.TrimSpace(raw); len(trimmed) == 0 || trimmed[0] != '{' {
		return domain.InvalidRequest("", "tasks[%d] must be a JSON object, a task request", i).WithDetail("index", i)
	}
	if err := decodeStrict(raw, dst); err != nil {
		return domain.ItemError(err, "tasks", i)
	}
	return nil
}
