package application_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when any goroutine outlives them: the worker and the
// reconciler must stop everything they start (including abandoned handlers, which the tests
// release in their cleanup).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
