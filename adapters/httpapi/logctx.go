package httpapi

import "context"

type requestIDCtxKey struct{}

// withRequestID puts the request id into the context handed to the services, so that their
// log lines can carry it (see RequestIDFrom).
func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDCtxKey{}, id)
}

// RequestIDFrom returns the id of the HTTP request a context belongs to, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDCtxKey{}).(string)
	return id
}
