package redis

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	goredis "github.com/redis/go-redis/v9"
)

// go-redis prints its own messages ("failed to dial after 5 attempts", pool warnings)
// through one logger per process, by default as plain text on stderr. NewClient replaces
// it, once, with clientLog: each message goes into the JSON log of the latest
// Config.Log as event redis_client, and nowhere while no Config has named a logger. So
// tests that dial a stopped server on purpose stay quiet (the caller gets the error
// anyway), and a process never writes a line that is not JSON.
var (
	clientLogger     atomic.Pointer[slog.Logger]
	installClientLog sync.Once
)

type clientLog struct{}

func (clientLog) Printf(ctx context.Context, format string, v ...any) {
	if l := clientLogger.Load(); l != nil {
		l.WarnContext(ctx, "redis_client", "message", fmt.Sprintf(format, v...))
	}
}

// routeClientLog installs clientLog and, when l is not nil, makes l its destination.
func routeClientLog(l *slog.Logger) {
	installClientLog.Do(func() { goredis.SetLogger(clientLog{}) })
	if l != nil {
		clientLogger.Store(l)
	}
}
