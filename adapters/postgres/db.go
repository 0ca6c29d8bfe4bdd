package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5/pgxpool"

	"taskrunner/ports"
)

// DB is what /health pings for the PostgreSQL stores, which share it.
var _ ports.Pinger = (*DB)(nil)

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxConns       = 32
	DefaultConnectTimeout = 5 * time.Second
	DefaultQueryTimeout   = 10 * time.Second
)

// psql builds every statement with $1-style placeholders.
var psql = sq.StatementBuilder.PlaceholderFormat(sq.Dollar)

// Config says how to reach PostgreSQL. Zero fields take the defaults above.
type Config struct {
	// URL is postgres://user:pass@host:port/db?sslmode=... (postgresql:// and the
	// predecessor's postgresql+psycopg2:// are accepted too).
	URL string
	// MaxConns caps the pool. Each in-flight store call holds one connection for one or two
	// round trips, so API processes and workers at high concurrency want more than the
	// pgx default of max(4, NumCPU); mind the server's max_connections across processes.
	MaxConns int32
	// MinConns is kept open even when idle, so the first requests after a quiet spell do not
	// pay for connecting.
	MinConns int32
	// ConnectTimeout bounds establishing one connection.
	ConnectTimeout time.Duration
	// QueryTimeout bounds every store call whose context has no earlier deadline.
	QueryTimeout time.Duration
}

// DB owns the connection pool that the stores share. Create it with New and Close it once
// nothing uses it.
type DB struct {
	pool         *pgxpool.Pool
	queryTimeout time.Duration
}

// New builds the pool. It does not connect: connections open on first use, so a process can
// start while PostgreSQL is still coming up and report it through Ping (/health). Call
// CheckSchema to refuse to run against a schema that is behind.
func New(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.URL == "" {
		return nil, errors.New("postgres: database URL is empty")
	}
	u, err := poolURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig(u)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("postgres: cannot parse the database URL")
	}
	pc.MaxConns = orDefault(cfg.MaxConns, DefaultMaxConns)
	if cfg.MinConns > 0 {
		pc.MinConns = min(cfg.MinConns, pc.MaxConns)
	}
	pc.ConnConfig.ConnectTimeout = orDefault(cfg.ConnectTimeout, DefaultConnectTimeout)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: create pool: %w", translate(err))
	}
	return &DB{pool: pool, queryTimeout: orDefault(cfg.QueryTimeout, DefaultQueryTimeout)}, nil
}

// Close closes every connection, waiting for those in use to be returned.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that PostgreSQL answers; it returns an error matching domain.ErrUnavailable
// when it does not.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := db.timeout(ctx)
	defer cancel()
	if err := db.pool.Ping(ctx); err != nil {
		return unavailable(translate(err))
	}
	return nil
}

// timeout bounds one store call; a caller's earlier deadline still wins.
func (db *DB) timeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, db.queryTimeout)
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
