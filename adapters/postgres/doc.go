// Package postgres is the PostgreSQL adapter: the task, artifact and run stores over a pgx v5
// pool, with SQL built by squirrel (Dollar placeholders), plus the schema migrations helpers.
//
// Transactions never leave the package: callers change a task through TaskStore.Update,
// which applies a domain transition and writes it back only if the row is unchanged since
// it was read (a compare-and-swap on xmin), falling back to a row lock when another writer
// got in between (task_store_update.go). Driver errors are translated in one place
// (errors.go) into domain errors, so a dropped connection reads as domain.ErrUnavailable
// and a missing row as domain.ErrNotFound.
package postgres
