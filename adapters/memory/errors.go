package memory

import (
	"fmt"

	"taskrunner/domain"
)

// notFound is the one shape of "no such record" every adapter here returns.
func notFound(what, id string) error {
	return fmt.Errorf("memory: %s %s: %w", what, id, domain.ErrNotFound)
}
