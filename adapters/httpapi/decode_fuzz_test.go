package httpapi

import (
	"errors"
	"testing"

	"taskrunner/application"
	"taskrunner/domain"
)

// FuzzDecodeStrict feeds arbitrary bodies to the strict decoder of POST /tasks: it must
// either decode or return an invalid_request error, never panic or return anything else.
func FuzzDecodeStrict(f *testing.F) {
	for _, seed := range []string{
		`{"type":"echo","params":{"msg":"hello"}}`,
		`{"type":"sleep","params":{"seconds":1},"timeout_seconds":5,"max_retries":2,"idempotency_key":"k"}`,
		`{"type":"echo","timeout_seconds":"5"}`, `{"type":"echo","timeout_seconds":1e99}`,
		`{"type":"echo","nope":1}`, `{"type":"echo"} trailing`, `[]`, ``, `{`, `{"params":[1,2]}`,
		"{\"type\":\"\xff\"}", `{"type":null,"params":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req submitRequest
		err := decodeStrict(body, &req)
		if err == nil {
			return
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalidRequest {
			t.Fatalf("decodeStrict(%q) = %v, want an invalid_request error", body, err)
		}
		if de.Message == "" {
			t.Fatalf("decodeStrict(%q): empty message", body)
		}
	})
}

// FuzzDecodeBatch feeds arbitrary bodies to the decoder of POST /tasks/batch: it must
// decode 1..MaxBatchTasks requests, or return an invalid_request error (naming the index
// when it is about one task), or the 422 of a batch size out of range; never panic.
func FuzzDecodeBatch(f *testing.F) {
	for _, seed := range []string{
		`{"tasks":[{"type":"echo","params":{"msg":"hello"}},{"type":"sleep","params":{"seconds":1}}]}`,
		`{"tasks":[{"type":"echo","idempotency_key":"k"},{"type":"echo","idempotency_key":"k"}]}`,
		`{"tasks":[]}`, `{"tasks":null}`, `{}`, `{"tasks":"x"}`, `{"tasks":{}}`, `{"tasks":[null]}`,
		`{"tasks":[1,"a",[]]}`, `{"tasks":[{"type":5}]}`, `{"tasks":[{"type":"echo","nope":1}]}`,
		`{"tasks":[{"type":"echo"}],"more":1}`, `{"tasks":[{"type":"echo"}]} trailing`, `{"tasks":[`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		reqs, err := decodeBatch(body)
		if err == nil {
			if len(reqs) < 1 || len(reqs) > application.MaxBatchTasks {
				t.Fatalf("decodeBatch(%q) decoded %d requests", body, len(reqs))
			}
			return
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Message == "" {
			t.Fatalf("decodeBatch(%q) = %v, want a coded error with a message", body, err)
		}
		switch {
		case de.Code == domain.CodeInvalidRequest:
		case de.Code == domain.CodeInvalidParams && de.Details["field"] == "tasks":
		default:
			t.Fatalf("decodeBatch(%q) = %v, want invalid_request or the batch size's 422", body, err)
		}
	})
}
