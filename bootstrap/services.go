package bootstrap

import (
	"context"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
	"go.uber.org/fx"

	"taskrunner/adapters/minio"
	"taskrunner/adapters/postgres"
	"taskrunner/adapters/redis"
	"taskrunner/ports"
)

// redisPrefixTag names the REDIS_PREFIX string in the graph, which every Redis adapter's
// constructor takes beside the client.
const redisPrefixTag = `name:"redis_prefix"`

// servicesModule provides the ports over PostgreSQL (record), Redis (queue, cache, rate
// limit, cancel signals) and MinIO (artifact bytes). Constructors do no I/O: each service
// is reached in an OnStart hook, within the start context, so SIGINT during a slow
// connect aborts start-up; clients close on stop.
var servicesModule = fx.Module("services",
	fx.Provide(
		newPostgres,
		newRedisClient,
		fx.Annotate(func(c Config) string { return c.RedisPrefix }, fx.ResultTags(redisPrefixTag)),
		fx.Annotate(newBlobStore, fx.As(fx.Self()), fx.As(new(ports.BlobStore))),
		fx.Annotate(postgres.NewTaskStore, fx.As(new(ports.TaskStore)), fx.As(new(ports.TaskBatchStore)),
			fx.As(new(ports.CallbackOutbox)),
			fx.As(new(ports.DuePromoter)), fx.As(new(ports.TaskStats))),
		fx.Annotate(postgres.NewArtifactStore, fx.As(new(ports.ArtifactStore))),
		fx.Annotate(postgres.NewRunStore, fx.As(new(ports.RunStore))),
		fx.Annotate(postgres.NewScheduleStore, fx.As(new(ports.ScheduleStore))),
		fx.Annotate(postgres.NewRetentionStore, fx.As(new(ports.RetentionStore))),
		fx.Annotate(redis.NewQueue, fx.ParamTags(``, redisPrefixTag), fx.As(fx.Self()), fx.As(new(ports.Queue)), fx.As(new(ports.BatchQueue))),
		fx.Annotate(redis.NewCache, fx.ParamTags(``, redisPrefixTag), fx.As(new(ports.Cache))),
		fx.Annotate(redis.NewRateLimiter, fx.ParamTags(``, redisPrefixTag), fx.As(new(ports.RateLimiter))),
		fx.Annotate(redis.NewHostPacer, fx.ParamTags(``, redisPrefixTag), fx.As(new(ports.HostPacer))),
		fx.Annotate(redis.NewCancelSignals, fx.ParamTags(``, redisPrefixTag), fx.As(new(ports.CancelSignals))),
		healthCheck[*postgres.DB]("store"),
		healthCheck[*redis.Queue]("queue"),
		healthCheck[*minio.BlobStore]("blobs"),
	),
)

// newPostgres builds the pool; OnStart checks that PostgreSQL answers and that its schema
// is the one this build needs. Refusing to run against a schema that is behind matters: a
// worker writing columns the database lacks would fail every task instead of failing
// once, here, with the fix.
func newPostgres(lc fx.Lifecycle, c Config) (*postgres.DB, error) {
	// New only parses the URL and builds the pool: it opens no connection, so no start
	// context is needed yet.
	db, err := postgres.New(context.Background(), postgres.Config{URL: c.DatabaseURL, MaxConns: c.DatabaseMaxConns})
	if err != nil {
		return nil, &serviceError{service: "PostgreSQL (DATABASE_URL)", err: err}
	}
	// The close hook comes first so that it also runs when the check fails.
	lc.Append(fx.StopHook(db.Close))
	// Ping first: it gives up when ctx ends, where the schema check's connect (through
	// golang-migrate, which takes no context) waits for its own timeout.
	reachOnStart(lc, "PostgreSQL (DATABASE_URL)", db.Ping, func(ctx context.Context) error {
		return postgres.CheckSchema(ctx, c.DatabaseURL)
	})
	return db, nil
}

// newRedisClient builds the client; OnStart checks that Redis answers.
func newRedisClient(lc fx.Lifecycle, c Config, log *slog.Logger) (*goredis.Client, error) {
	cl, err := redis.NewClient(redis.Config{URL: c.RedisURL, Prefix: c.RedisPrefix, PoolSize: c.RedisPool(), Log: log})
	if err != nil {
		return nil, &serviceError{service: "Redis (REDIS_URL)", err: err}
	}
	lc.Append(fx.StopHook(cl.Close))
	reachOnStart(lc, "Redis (REDIS_URL)", func(ctx context.Context) error { return redis.Ping(ctx, cl) })
	return cl, nil
}

// newBlobStore builds the S3 client; OnStart checks the endpoint and creates the bucket
// when it is missing, so wrong credentials fail start-up rather than the first artifact.
func newBlobStore(lc fx.Lifecycle, c Config) (*minio.BlobStore, error) {
	b, err := minio.NewLazy(minio.Config{
		Endpoint: c.MinIO.Endpoint, AccessKey: c.MinIO.AccessKey, SecretKey: c.MinIO.SecretKey,
		Bucket: c.MinIO.Bucket, Secure: c.MinIO.Secure,
	})
	if err != nil {
		return nil, &serviceError{service: "MinIO (MINIO_ENDPOINT)", err: err}
	}
	reachOnStart(lc, "MinIO (MINIO_ENDPOINT)", b.EnsureBucket)
	return b, nil
}

// reachOnStart runs checks of a backing service, in order, in an OnStart hook: within the
// start context and serviceStartTimeout, so a service that never answers is named by its
// own error. The first failure stops start-up, prefixed with service ("Redis (REDIS_URL)").
func reachOnStart(lc fx.Lifecycle, service string, checks ...func(context.Context) error) {
	lc.Append(fx.StartHook(func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, serviceStartTimeout)
		defer cancel()
		for _, check := range checks {
			if err := check(ctx); err != nil {
				return &serviceError{service: service, err: err}
			}
		}
		return nil
	}))
}
