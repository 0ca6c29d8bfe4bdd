// Package migrations holds taskrunner's PostgreSQL schema as golang-migrate SQL files
// (NNNN_name.up.sql / NNNN_name.down.sql), embedded in the binary so that
// `taskrunner migrate up` needs nothing but a database URL. Every up file has a down file
// that undoes it exactly, so the schema can be walked down to zero and up again.
package migrations

import "embed"

// FS holds the migration files, read through golang-migrate's iofs source.
//
//go:embed *.sql
var FS embed.FS
