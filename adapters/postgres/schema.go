package postgres

import (
	"context"
	"fmt"
)

// migrateHint is the command that brings a schema up to date, named in every SchemaError.
const migrateHint = "run `taskrunner migrate up` (or `make init-db`)"

// SchemaError says why the database schema does not fit this build. The api and worker
// refuse to start on it; Error() names the command that fixes it.
type SchemaError struct {
	Current  uint // the database's version; 0 when no migration was applied
	Required uint // the version this build needs
	Dirty    bool // a migration failed part-way at Current
}

// Error says what is wrong and which command fixes it.
func (e *SchemaError) Error() string {
	switch {
	case e.Dirty:
		return fmt.Sprintf("database schema is dirty at version %d (a migration failed part-way): "+
			"repair it by hand, set the version with golang-migrate's force, then %s", e.Current, migrateHint)
	case e.Current == 0:
		return fmt.Sprintf("database schema is empty, this build needs version %d: %s", e.Required, migrateHint)
	case e.Current < e.Required:
		return fmt.Sprintf("database schema is at version %d, this build needs %d: %s", e.Current, e.Required, migrateHint)
	default:
		return fmt.Sprintf("database schema is at version %d, newer than this build (%d): "+
			"run a newer build, or `taskrunner migrate down %d` to go back", e.Current, e.Required, e.Current-e.Required)
	}
}

// CheckSchema returns nil when the database is at exactly the version this build needs, a
// *SchemaError when it is behind, ahead or dirty, and an error matching
// domain.ErrUnavailable when the database cannot be reached.
func CheckSchema(ctx context.Context, databaseURL string) error {
	required, err := RequiredVersion()
	if err != nil {
		return err
	}
	current, dirty, err := MigrateVersion(ctx, databaseURL)
	if err != nil {
		return err
	}
	if dirty || current != required {
		return &SchemaError{Current: current, Required: required, Dirty: dirty}
	}
	return nil
}
