package bootstrap

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
)

// redisLog routes go-redis's own messages ("failed to dial", pool warnings), which it
// otherwise prints as plain text on stderr, into the JSON log as event redis_client.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis_client", "message", fmt.Sprintf(format, v...))
}

// useRedisLog installs l as go-redis's logger. go-redis keeps one logger per process, so the
// last services-mode app started in a process names it.
func useRedisLog(l *slog.Logger) { goredis.SetLogger(redisLog{log: l}) }
