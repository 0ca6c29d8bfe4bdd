package contract

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// HostPacer is the contract of ports.HostPacer. Each case uses its own host names, so the
// pacer may be shared with other tests. Times are whole milliseconds: the precision a
// shared store keeps.
func HostPacer(t *testing.T, newPacer func(t *testing.T) ports.HostPacer) {
	t.Helper()
	runSuite(t, newPacer, []suiteCase[ports.HostPacer]{
		{"Reserve", "FirstStartIsNow", paceFirstNow},
		{"Reserve", "NextWithinWaitIsGrantedAfterInterval", paceWithinWait},
		{"Reserve", "BeyondWaitIsKeptForTheHolder", paceKept},
		{"Reserve", "KeptStartIsNotGivenToOthers", paceKeptExclusive},
		{"Reserve", "LateHolderBooksAfresh", paceLate},
		{"Reserve", "HostsAreIndependent", paceHosts},
		{"Reserve", "IdleHostStartsNow", paceIdle},
		{"Reserve", "ConcurrentStartsAreSpaced", paceConcurrent},
	})
}

var paceEpoch = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)

func paceHost() string { return "contract-" + randomHex(6) + ".example:443" }

func reserve(t *testing.T, p ports.HostPacer, host, holder string, now time.Time) domain.PaceDecision {
	t.Helper()
	d, err := p.Reserve(t.Context(), domain.PaceRequest{Host: host, Holder: holder, Interval: time.Second,
		MaxWait: 2 * time.Second, Now: now})
	require.NoError(t, err, "Reserve")
	return d
}

func paceFirstNow(t *testing.T, p ports.HostPacer) {
	d := reserve(t, p, paceHost(), "a", paceEpoch)
	require.True(t, d.Granted)
	require.True(t, d.At.Equal(paceEpoch), "at %s", d.At)
}

func paceWithinWait(t *testing.T, p ports.HostPacer) {
	host := paceHost()
	reserve(t, p, host, "a", paceEpoch)
	d := reserve(t, p, host, "b", paceEpoch.Add(100*time.Millisecond))
	require.True(t, d.Granted, "one interval away is within the wait")
	require.True(t, d.At.Equal(paceEpoch.Add(time.Second)), "at %s", d.At)
	d = reserve(t, p, host, "c", paceEpoch.Add(100*time.Millisecond))
	require.True(t, d.Granted, "1.9 s away is within the wait")
	require.True(t, d.At.Equal(paceEpoch.Add(2*time.Second)), "at %s", d.At)
}

func paceKept(t *testing.T, p ports.HostPacer) {
	host := paceHost()
	for _, h := range []string{"a", "b", "c"} {
		require.True(t, reserve(t, p, host, h, paceEpoch).Granted)
	}
	d := reserve(t, p, host, "d", paceEpoch)
	require.False(t, d.Granted, "3 s away is beyond the wait")
	want := paceEpoch.Add(3 * time.Second)
	require.True(t, d.At.Equal(want), "at %s", d.At)

	again := reserve(t, p, host, "d", paceEpoch.Add(500*time.Millisecond))
	require.False(t, again.Granted, "still 2.5 s away")
	require.True(t, again.At.Equal(want), "the same start is kept: %s", again.At)
	back := reserve(t, p, host, "d", want.Add(-time.Second))
	require.True(t, back.Granted, "back within the wait of the kept start")
	require.True(t, back.At.Equal(want), "at %s", back.At)
}

func paceKeptExclusive(t *testing.T, p ports.HostPacer) {
	host := paceHost()
	for _, h := range []string{"a", "b", "c"} {
		reserve(t, p, host, h, paceEpoch)
	}
	kept := reserve(t, p, host, "d", paceEpoch)
	require.False(t, kept.Granted)
	later := reserve(t, p, host, "e", kept.At.Add(-time.Second))
	require.True(t, later.At.Sub(kept.At) >= time.Second, "another holder starts an interval after the kept start: %s vs %s", later.At, kept.At)
}

func paceLate(t *testing.T, p ports.HostPacer) {
	host := paceHost()
	for _, h := range []string{"a", "b", "c"} {
		reserve(t, p, host, h, paceEpoch)
	}
	kept := reserve(t, p, host, "d", paceEpoch)
	require.False(t, kept.Granted)
	late := kept.At.Add(500 * time.Millisecond)
	d := reserve(t, p, host, "d", late)
	require.True(t, d.Granted, "a holder past its start books afresh")
	require.False(t, d.At.Before(kept.At.Add(time.Second)), "and its new start keeps the interval after the lost one: %s", d.At)
}

func paceHosts(t *testing.T, p ports.HostPacer) {
	a, b := paceHost(), paceHost()
	require.True(t, reserve(t, p, a, "x", paceEpoch).At.Equal(paceEpoch))
	require.True(t, reserve(t, p, b, "x", paceEpoch).At.Equal(paceEpoch), "another host is not slowed")
}

func paceIdle(t *testing.T, p ports.HostPacer) {
	host := paceHost()
	reserve(t, p, host, "a", paceEpoch)
	later := paceEpoch.Add(5 * time.Second)
	d := reserve(t, p, host, "b", later)
	require.True(t, d.Granted)
	require.True(t, d.At.Equal(later), "a host idle for longer than the interval starts at once: %s", d.At)
}

func paceConcurrent(t *testing.T, p ports.HostPacer) {
	host := paceHost()
	const n = 20
	starts := make([]time.Time, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			starts[i] = reserve(t, p, host, randomHex(4), paceEpoch).At
		}()
	}
	wg.Wait()
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	for i := 1; i < n; i++ {
		require.GreaterOrEqual(t, starts[i].Sub(starts[i-1]), time.Second, "starts %d and %d", i-1, i)
	}
}
