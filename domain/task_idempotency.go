package domain

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
)

// SameRequest reports whether two submissions of one idempotency key asked for the same
// task, so the second may be answered with the first (Stripe's rule; otherwise it is
// idempotency_key_conflict). Both are compared as validated and resolved: type, params
// (as JSON values, so key order, spacing and number spelling do not matter, which is how
// a PostgreSQL jsonb column hands them back), timeout, retries, priority and callback URL.
// When the task runs (run_at, delay_seconds) is not compared: a delay is relative to the
// moment of each submit, and a client retrying a lost response would otherwise conflict
// with itself.
func SameRequest(first, again *Task) bool {
	return first.Type == again.Type &&
		first.TimeoutSeconds == again.TimeoutSeconds &&
		first.MaxRetries == again.MaxRetries &&
		first.Priority == again.Priority &&
		callbackURL(first.Callback) == callbackURL(again.Callback) &&
		sameJSON(first.Params, again.Params)
}

// IdempotencyConflict is the error for a key reused with a different request.
func IdempotencyConflict(prior *Task) *Error {
	return NewError(CodeIdempotencyKeyConflict,
		"idempotency_key was already used for task %s with a different request; use a new key for a new request", prior.ID).
		WithDetail("field", "idempotency_key").WithDetail("task_id", prior.ID)
}

func callbackURL(c *Callback) string {
	if c == nil {
		return ""
	}
	return c.URL
}

// sameJSON compares two JSON documents as values: 1, 1.0 and 1e0 are one number. Empty
// means {} (params default to an empty object).
func sameJSON(a, b json.RawMessage) bool {
	if bytes.Equal(a, b) {
		return true
	}
	va, errA := decodeValue(a)
	vb, errB := decodeValue(b)
	return errA == nil && errB == nil && sameValue(va, vb)
}

func decodeValue(raw json.RawMessage) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, vx := range x {
			vy, ok := y[k]
			if !ok || !sameValue(vx, vy) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		return sameNumber(x.String(), y.String())
	default: // string, bool, nil
		return a == b
	}
}

// sameNumber compares two JSON number spellings. Integers compare exactly, whatever their
// size (work linear in their length); others as float64. Exact decimal arithmetic is
// avoided on purpose: an exponent such as 1e999999999 would cost it unbounded work.
func sameNumber(a, b string) bool {
	if a == b {
		return true
	}
	if !strings.ContainsAny(a, ".eE") && !strings.ContainsAny(b, ".eE") {
		ia, okA := new(big.Int).SetString(a, 10)
		ib, okB := new(big.Int).SetString(b, 10)
		return okA && okB && ia.Cmp(ib) == 0
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && fa == fb
}
