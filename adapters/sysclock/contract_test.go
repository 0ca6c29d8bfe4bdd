package sysclock_test

import (
	"testing"

	"taskrunner/adapters/sysclock"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

func TestClockContract(t *testing.T) {
	t.Parallel()
	contract.Clock(t, func(*testing.T) ports.Clock { return sysclock.Clock{} }, contract.ClockOptions{})
}
