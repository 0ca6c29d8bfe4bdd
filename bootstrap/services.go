package bootstrap

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
	"go.uber.org/fx"

	"taskrunner/adapters/minio"
	"taskrunner/adapters/postgres"
	"taskrunner/adapters/redis"
	"taskrunner/ports"
)

// servicesModule provides the ports over PostgreSQL (record), Redis (queue, cache, rate
// limit, cancel signals) and MinIO (artifact bytes). Connections open in constructors with
// the start-up context's timeout, and close on stop.
var servicesModule = fx.Module("services",
	fx.Provide(
		newPostgres,
		newRedisClient,
		newBlobStore,
		fx.Annotate(postgres.NewTaskStore, fx.As(new(ports.TaskStore))),
		fx.Annotate(postgres.NewArtifactStore, fx.As(new(ports.ArtifactStore))),
		fx.Annotate(postgres.NewRunStore, fx.As(new(ports.RunStore))),
		newRedisQueue,
		newRedisCache,
		newRedisLimiter,
		newRedisSignals,
		func(db *postgres.DB, q ports.Queue, b ports.BlobStore) HealthChecks {
			return HealthChecks{"store": db, "queue": q.(ports.Pinger), "blobs": b.(ports.Pinger)}
		},
	),
)

func newPostgres(lc fx.Lifecycle, c Config) (*postgres.DB, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	// Refuse to run against a schema that is behind: a worker writing columns the database
	// lacks would fail every task instead of failing once, here, with the fix.
	if err := postgres.CheckSchema(ctx, c.DatabaseURL); err != nil {
		return nil, fmt.Errorf("PostgreSQL (DATABASE_URL): %w", err)
	}
	db, err := postgres.New(ctx, postgres.Config{URL: c.DatabaseURL, MaxConns: c.DatabaseMaxConns})
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL (DATABASE_URL): %w", err)
	}
	lc.Append(fx.StopHook(db.Close))
	return db, nil
}

func newRedisClient(lc fx.Lifecycle, c Config, log *slog.Logger) (*goredis.Client, error) {
	useRedisLog(log)
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	cl, err := redis.Connect(ctx, redis.Config{URL: c.RedisURL, Prefix: c.RedisPrefix, PoolSize: c.RedisPool()})
	if err != nil {
		return nil, fmt.Errorf("Redis (REDIS_URL): %w", err)
	}
	lc.Append(fx.StopHook(cl.Close))
	return cl, nil
}

func newRedisQueue(cl *goredis.Client, c Config) (ports.Queue, error) {
	return redis.NewQueue(cl, c.RedisPrefix)
}

func newRedisCache(cl *goredis.Client, c Config) (ports.Cache, error) {
	return redis.NewCache(cl, c.RedisPrefix)
}

func newRedisLimiter(cl *goredis.Client, c Config) (ports.RateLimiter, error) {
	return redis.NewRateLimiter(cl, c.RedisPrefix)
}

func newRedisSignals(cl *goredis.Client, c Config) (ports.CancelSignals, error) {
	return redis.NewCancelSignals(cl, c.RedisPrefix)
}

func newBlobStore(c Config) (ports.BlobStore, error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	b, err := minio.New(ctx, minio.Config{
		Endpoint: c.MinIO.Endpoint, AccessKey: c.MinIO.AccessKey, SecretKey: c.MinIO.SecretKey,
		Bucket: c.MinIO.Bucket, Secure: c.MinIO.Secure,
	})
	if err != nil {
		return nil, fmt.Errorf("MinIO (MINIO_ENDPOINT): %w", err)
	}
	return b, nil
}
