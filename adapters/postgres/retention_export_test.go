package postgres

import "context"

// WaitingForBlobLock reports how many sessions wait for the advisory lock of the blob
// with sha256 sum.
func WaitingForBlobLock(ctx context.Context, db *DB, sum string) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
		AND classid = `+blobLockClass+`::bigint::oid AND objid = (hashtext($1)::bigint & 4294967295)::oid AND objsubid = 2`, sum).Scan(&n)
	return n, err
}
