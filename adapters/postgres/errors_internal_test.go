package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestTranslate(t *testing.T) {
	t.Parallel()
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	cases := []struct {
		name string
		in   error
		want error // matched with errors.Is
	}{
		{"no rows", pgx.ErrNoRows, domain.ErrNotFound},
		{"wrapped no rows", fmt.Errorf("scan: %w", pgx.ErrNoRows), domain.ErrNotFound},
		{"terminated by admin", &pgconn.PgError{Code: "57P01"}, domain.ErrUnavailable},
		{"server starting", &pgconn.PgError{Code: "57P03"}, domain.ErrUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, domain.ErrUnavailable},
		{"connection exception", &pgconn.PgError{Code: "08006"}, domain.ErrUnavailable},
		{"statement timeout", &pgconn.PgError{Code: "57014"}, domain.ErrUnavailable},
		{"dial refused", opErr, domain.ErrUnavailable},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), domain.ErrUnavailable},
		{"eof", fmt.Errorf("receive: %w", io.ErrUnexpectedEOF), domain.ErrUnavailable},
		{"deadline", context.DeadlineExceeded, domain.ErrUnavailable},
		{"closed conn", fmt.Errorf("x: %w", pgconn.ErrConnClosed), domain.ErrUnavailable},
		{"unique", &pgconn.PgError{Code: "23505", ConstraintName: "tasks_pkey"}, domain.ErrConflict},
		{"foreign key", &pgconn.PgError{Code: "23503"}, domain.ErrNotFound},
		{"caller cancelled", context.Canceled, context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := translate(c.in)
			require.ErrorIs(t, got, c.want)
			if errors.Is(c.want, domain.ErrUnavailable) {
				require.Equal(t, domain.CodeUnavailable, domain.CodeOf(got))
				require.ErrorIs(t, got, c.in, "the cause stays reachable for logs")
			}
		})
	}

	require.NoError(t, translate(nil))
	bug := &pgconn.PgError{Code: "42601"} // syntax error: ours, not the server's availability
	got := translate(bug)
	require.ErrorIs(t, got, bug)
	require.NotErrorIs(t, got, domain.ErrUnavailable)
	require.Equal(t, domain.CodeInternal, domain.CodeOf(got))
	require.NotErrorIs(t, translate(context.Canceled), domain.ErrUnavailable)
}

// TestTranslateDataExceptions: a value the server cannot hold is the client's fault, a 422
// and never a 500, whichever data exception the server raised.
func TestTranslateDataExceptions(t *testing.T) {
	t.Parallel()
	for _, code := range []string{
		"22P05", // untranslatable_character: \u0000 in jsonb
		"22021", // character_not_in_repertoire: a NUL or bytes that are not UTF-8 in text
		"22P02", // invalid_text_representation: a lone surrogate escape in jsonb
		"22003", // numeric_value_out_of_range
		"22000", // data_exception itself
	} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			in := &pgconn.PgError{Code: code, Message: "unsupported Unicode escape sequence"}
			got := translate(fmt.Errorf("insert: %w", in))
			require.Equal(t, domain.CodeInvalidParams, domain.CodeOf(got))
			require.ErrorIs(t, got, domain.ErrInvalidValue)
			require.ErrorIs(t, got, in, "the cause stays reachable for logs")
			require.NotErrorIs(t, got, domain.ErrUnavailable)
			require.Contains(t, got.Error(), "unsupported Unicode escape sequence")
		})
	}
}

func TestURLSchemes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"postgres://u:p@h:5432/db?sslmode=disable":           "pgx5://u:p@h:5432/db?sslmode=disable",
		"postgresql://u@h/db":                                "pgx5://u@h/db",
		"postgresql+psycopg2://u:p@postgres:5432/taskrunner": "pgx5://u:p@postgres:5432/taskrunner",
	} {
		got, err := migrateURL(in)
		require.NoError(t, err)
		require.Equal(t, want, got)
		pool, err := poolURL(in)
		require.NoError(t, err)
		require.Equal(t, "postgres"+want[len("pgx5"):], pool)
	}
	_, err := poolURL("mysql://u:secret@h/db")
	require.Error(t, err)
	_, err = poolURL("postgres://u:secret@h:bad port/db")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "secret", "URLs carry passwords; errors must not")
}
