package postgres

import "github.com/jackc/pgx/v5"

// abandonBatch closes a batch on an early return, deferred right after SendBatch. The
// error being returned already says what went wrong, so Close's own is dropped; every
// success path checks Close itself, since a failing statement nobody read is reported
// there only. Close is idempotent: after a checked Close this does nothing.
func abandonBatch(br pgx.BatchResults) { _ = br.Close() }
