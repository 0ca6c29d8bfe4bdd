package application

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"time"

	"taskrunner/domain"
)

// SleepHandler runs `sleep` tasks: it waits params.seconds (fractions allowed) and returns
// {"slept_seconds": n}. It ends at once when its context does, which makes it the probe for
// cancel and runtime limits.
type SleepHandler struct{}

var _ Handler = SleepHandler{}

// NewSleepHandler returns the sleep handler. It measures the wait with a runtime timer, not
// the injected clock: a sleep is a duration, and nothing here reads the time of day.
func NewSleepHandler() SleepHandler { return SleepHandler{} }

type sleepParams struct {
	Seconds float64 `json:"seconds"`
}

// Validate requires {"seconds": n} with 0 <= n <= TASK_MAX_RUNTIME_SECONDS (a longer sleep
// could only end killed) and rejects other fields, naming them.
func (SleepHandler) Validate(params json.RawMessage, limits domain.Limits) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(params, &fields); err != nil || fields == nil {
		return nil, domain.InvalidRequest("params", "params of a sleep task must be a JSON object")
	}
	for name := range fields {
		if name != "seconds" {
			return nil, domain.InvalidParams("params."+name, "unknown field %q in params of a sleep task; only \"seconds\" is allowed", name)
		}
	}
	raw, ok := fields["seconds"]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, domain.InvalidParams("params.seconds", "params.seconds is required")
	}
	var secs float64
	if err := json.Unmarshal(raw, &secs); err != nil {
		return nil, domain.InvalidRequest("params.seconds", "params.seconds must be a number")
	}
	if secs < 0 {
		return nil, domain.InvalidParams("params.seconds", "params.seconds must be >= 0, got %v", secs)
	}
	if max := limits.TaskMaxRuntimeSeconds; max > 0 && secs > float64(max) {
		return nil, domain.InvalidParams("params.seconds", "params.seconds must be at most %d (TASK_MAX_RUNTIME_SECONDS), got %v", max, secs)
	}
	return json.Marshal(sleepParams{Seconds: secs})
}

// Run waits the requested time or until ctx ends, then returns ctx's error: the worker
// knows from the context's cause whether that was a cancel, the runtime limit or shutdown.
func (SleepHandler) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	var p sleepParams
	if err := json.Unmarshal(t.Params, &p); err != nil || p.Seconds < 0 || math.IsNaN(p.Seconds) {
		return nil, domain.InvalidParams("params.seconds", "params.seconds must be a number >= 0")
	}
	d := time.Duration(math.Min(p.Seconds, float64(math.MaxInt64/int64(time.Second))) * float64(time.Second))
	// A second at a time, saying how many have passed: the progress the task shows.
	total := int64(math.Ceil(p.Seconds))
	ReportProgress(ctx, 0, total, "seconds slept")
	for slept := int64(0); d > 0; slept++ {
		step := min(d, time.Second)
		if !sleepOrDone(ctx, step) {
			return nil, ctx.Err()
		}
		d -= step
		ReportProgress(ctx, min(slept+1, total), total, "seconds slept")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return json.Marshal(map[string]float64{"slept_seconds": p.Seconds})
}
