package httpapi

import (
	"encoding/json"

	"taskrunner/application"
	"taskrunner/domain"
)

var _ application.TaskRequestDecoder = DecodeScheduledTask

// scheduleRefusedFields are task request fields a schedule's task may not carry: the
// schedule decides when its task runs, and each firing must make a new task, which a
// fixed idempotency key would prevent.
var scheduleRefusedFields = []string{"run_at", "delay_seconds", "idempotency_key"}

// DecodeScheduledTask reads a schedule's task: a POST /tasks body, decoded exactly as that
// route decodes it (so a field the route gains, a schedule's task gains too), without the
// fields scheduleRefusedFields names. It is the application.TaskRequestDecoder the
// schedule service and the scheduler use.
func DecodeScheduledTask(raw json.RawMessage) (application.SubmitInput, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return application.SubmitInput{}, domain.InvalidRequest("", "task must be a JSON object")
	}
	for _, name := range scheduleRefusedFields {
		if _, ok := fields[name]; ok {
			return application.SubmitInput{}, domain.InvalidParams(name, "a schedule's task may not set %s: the schedule decides when it runs", name)
		}
	}
	var req submitRequest
	if err := decodeStrict(raw, &req); err != nil {
		return application.SubmitInput{}, err
	}
	typ := ""
	if req.Type != nil {
		typ = *req.Type
	}
	return requestInput(typ, req.Params, req.options()), nil
}
