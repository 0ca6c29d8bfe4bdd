package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/domain"
)

// translate maps a go-redis error to the domain's vocabulary; it is the only place that
// does. redis.Nil becomes domain.ErrNotFound (callers turn that into "absent" where the
// port says so); a cancelled ctx comes back as ctx.Err(); a server that cannot serve
// (network, timeouts, pool exhausted, LOADING, READONLY, OOM ...) becomes
// domain.Unavailable(service); any other reply error is a bug and stays an internal error.
func translate(ctx context.Context, service string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, goredis.Nil):
		return domain.ErrNotFound
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return ctx.Err()
	}
	var replyErr goredis.Error
	if errors.As(err, &replyErr) && !serverCannotServe(replyErr.Error()) {
		return fmt.Errorf("redis %s: %w", service, err)
	}
	return domain.Unavailable(service, err)
}

// serverCannotServe reports reply errors that mean "not now" rather than "wrong request".
func serverCannotServe(msg string) bool {
	for _, p := range []string{"LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "OOM", "BUSY", "ERR max number of clients"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
