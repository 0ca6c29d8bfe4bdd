package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"taskrunner/domain"
)

// serviceName is how an unreachable database is named in API errors: "store is
// unavailable" tells a client what it needs without naming our infrastructure.
const serviceName = "store"

// translate turns a pgx error into the domain's terms; it is the only place that does.
//
//   - no row → domain.ErrNotFound
//   - the database could not be reached, dropped the connection, is shutting down or
//     starting, is out of connections or resources, or did not answer in time →
//     domain.Unavailable (matches domain.ErrUnavailable, keeps the cause for logs)
//   - a unique violation → domain.ErrConflict; a foreign key violation → domain.ErrNotFound
//     (the referenced record does not exist)
//   - a data exception (class 22: a NUL or bytes that are not UTF-8 in text, \u0000 or a
//     lone surrogate in jsonb, a number out of range) → task_rejected_invalid_params
//     matching domain.ErrInvalidValue: the values are at fault, so the client gets a 422,
//     never a 500. Submits check for these first (domain.CheckJSONText); this is the last
//     line of defence for whatever slips past.
//   - the caller's own cancellation is returned as is: nobody is waiting for an answer.
//
// Anything else (a bug: bad SQL, a check constraint) is returned wrapped, as an internal error.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.ErrNotFound
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	// A failure while connecting is never the statement's fault, even when the server
	// answered with an error (55000 "not accepting connections", 28000 auth, 3D000 no such
	// database): the caller can only try again later.
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return domain.Unavailable(serviceName, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "23505": // unique_violation
			return fmt.Errorf("postgres: %s: %w", pgErr.ConstraintName, domain.ErrConflict)
		case pgErr.Code == "23503": // foreign_key_violation
			return fmt.Errorf("postgres: %s: referenced record: %w", pgErr.ConstraintName, domain.ErrNotFound)
		case unavailableState(pgErr.Code):
			return domain.Unavailable(serviceName, err)
		case strings.HasPrefix(pgErr.Code, "22"): // data_exception
			// The server's message says what is wrong with the value ("unsupported Unicode
			// escape sequence") without naming our infrastructure; it is the only trace a
			// 422 leaves, since 4xx answers are not logged.
			return domain.NewError(domain.CodeInvalidParams, "a value cannot be stored: %s", pgErr.Message).
				WithCause(fmt.Errorf("%w: %w", domain.ErrInvalidValue, err))
		}
		return fmt.Errorf("postgres: %w", err)
	}
	if connectionFailure(err) {
		return domain.Unavailable(serviceName, err)
	}
	return fmt.Errorf("postgres: %w", err)
}

// unavailableState reports SQLSTATEs that say "the server cannot serve you now" rather than
// "your statement is wrong": a retry later, maybe on another connection, can succeed.
func unavailableState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"): // connection_exception
		return true
	case strings.HasPrefix(code, "53"): // insufficient_resources: too many connections, disk full
		return true
	}
	switch code {
	case "57P01", // admin_shutdown: pg_terminate_backend, fast shutdown
		"57P02", // crash_shutdown
		"57P03", // cannot_connect_now: starting up or in recovery
		"57P05", // idle_session_timeout
		"57014", // query_canceled: statement_timeout fired
		"25006": // read_only_sql_transaction: we reached a standby after a failover
		return true
	}
	return false
}

// connectionFailure reports errors that happened below SQL: dialling, TLS, a dropped or
// closed connection, a deadline while waiting for the server.
func connectionFailure(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return pgconn.SafeToRetry(err) ||
		pgconn.Timeout(err) ||
		errors.As(err, &connectErr) ||
		errors.As(err, &netErr) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) ||
		errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE)
}

// unavailable makes err match domain.ErrUnavailable, for Ping whose contract is that any
// failure is reported that way.
func unavailable(err error) error {
	if errors.Is(err, domain.ErrUnavailable) {
		return err
	}
	return domain.Unavailable(serviceName, err)
}
