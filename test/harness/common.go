package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"

	"github.com/testcontainers/testcontainers-go"
)

// requireServicesEnv set to 1 turns every skip of a missing service into a failure (CI).
const requireServicesEnv = "TEST_REQUIRE_SERVICES"

// dockerReady reports whether testcontainers can start containers here. testcontainers
// panics on some broken Docker setups instead of returning an error; that is an error too.
func dockerReady(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("testcontainers: %v", r)
		}
	}()
	provider, err := testcontainers.ProviderDocker.GetProvider()
	if err != nil {
		return err
	}
	return provider.Health(ctx)
}

// randomHex returns 2n random hex digits, for names no other test run will pick.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// skipShort skips a test that needs service when go test runs with -short: `make
// test-unit` promises a run without PostgreSQL, Redis or Docker, so under -short the
// harness neither reads the service addresses nor starts containers, and never dials. It
// skips even with TEST_REQUIRE_SERVICES=1: -short is the caller asking for no services,
// which is no missing service to fail on.
func skipShort(t testing.TB, service string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("harness: -short runs without services; this test needs %s (run it without -short)", service)
	}
}

// skipOrFail skips a test whose service is missing, saying how to provide it, or fails it
// when TEST_REQUIRE_SERVICES=1 (CI must not pass on skipped suites).
func skipOrFail(t testing.TB, service, why, howTo string) {
	t.Helper()
	if os.Getenv(requireServicesEnv) == "1" {
		t.Fatalf("harness: %s is required (%s=1) but unavailable: %s", service, requireServicesEnv, why)
	}
	t.Skipf("harness: no %s: %s. %s", service, why, howTo)
}
