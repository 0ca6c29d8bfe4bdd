package contract

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/ports"
)

// CancelSignals is the contract of ports.CancelSignals. The broadcaster may be shared with
// other tests: subscribers ignore ids they did not publish.
func CancelSignals(t *testing.T, newSignals func(t *testing.T) ports.CancelSignals) {
	t.Helper()
	runSuite(t, newSignals, []suiteCase[ports.CancelSignals]{
		{"Subscribe", "ReceivesLaterPublishes", signalsReceive},
		{"Subscribe", "MissesEarlierPublishes", signalsMissesEarlier},
		{"Subscribe", "ClosesWhenContextEnds", signalsCloses},
		{"Subscribe", "KeepsOrder", signalsOrder},
		{"Publish", "FansOutToEverySubscriber", signalsFanOut},
		{"Publish", "WithoutSubscribers", signalsNoSubscribers},
		{"Publish", "NeverBlocksOnSlowSubscriber", signalsSlowSubscriber},
		{"Publish", "AfterSubscriberLeft", signalsAfterLeave},
	})
}

func subscribe(t *testing.T, s ports.CancelSignals, ctx context.Context) <-chan string {
	t.Helper()
	ch, err := s.Subscribe(ctx)
	require.NoError(t, err, "Subscribe")
	require.NotNil(t, ch)
	return ch
}

func publish(t *testing.T, s ports.CancelSignals, id string) {
	t.Helper()
	require.NoError(t, s.Publish(t.Context(), id), "Publish")
}

// receive returns the next id of mine from ch, skipping other tests' ids.
func receive(t *testing.T, ch <-chan string, mine map[string]bool) string {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case id, ok := <-ch:
			require.True(t, ok, "channel closed while waiting for a signal")
			if mine[id] {
				return id
			}
		case <-timeout:
			t.Fatal("no signal received")
		}
	}
}

func signalIDs(n int) ([]string, map[string]bool) {
	list := make([]string, n)
	set := map[string]bool{}
	for i := range list {
		list[i] = NewID()
		set[list[i]] = true
	}
	return list, set
}

func signalsReceive(t *testing.T, s ports.CancelSignals) {
	ch := subscribe(t, s, t.Context())
	list, mine := signalIDs(1)
	publish(t, s, list[0])
	require.Equal(t, list[0], receive(t, ch, mine))
}

func signalsMissesEarlier(t *testing.T, s ports.CancelSignals) {
	list, mine := signalIDs(2)
	publish(t, s, list[0])
	ch := subscribe(t, s, t.Context())
	publish(t, s, list[1])
	require.Equal(t, list[1], receive(t, ch, mine), "an id published before Subscribe was delivered")
}

func signalsCloses(t *testing.T, s ports.CancelSignals) {
	ctx, cancel := context.WithCancel(t.Context())
	ch := subscribe(t, s, ctx)
	cancel()
	timeout := time.After(wait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("channel not closed after its context ended")
		}
	}
}

func signalsOrder(t *testing.T, s ports.CancelSignals) {
	ch := subscribe(t, s, t.Context())
	list, mine := signalIDs(50)
	for _, id := range list {
		publish(t, s, id)
	}
	for i, want := range list {
		require.Equal(t, want, receive(t, ch, mine), "signal %d out of order", i)
	}
}

func signalsFanOut(t *testing.T, s ports.CancelSignals) {
	chans := []<-chan string{subscribe(t, s, t.Context()), subscribe(t, s, t.Context()), subscribe(t, s, t.Context())}
	list, mine := signalIDs(2)
	for _, id := range list {
		publish(t, s, id)
	}
	for i, ch := range chans {
		for _, want := range list {
			require.Equal(t, want, receive(t, ch, mine), "subscriber %d", i)
		}
	}
}

func signalsNoSubscribers(t *testing.T, s ports.CancelSignals) {
	publish(t, s, NewID())
}

func signalsSlowSubscriber(t *testing.T, s ports.CancelSignals) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_ = subscribe(t, s, ctx) // never read
	fast := subscribe(t, s, ctx)
	marker := NewID()
	seen := make(chan struct{})
	go func() {
		for id := range fast {
			if id == marker {
				close(seen)
				return
			}
		}
	}()

	// A flood far beyond any sane buffer must not stall Publish.
	flood, _ := signalIDs(3000)
	done := make(chan error, 1)
	go func() {
		for _, id := range flood {
			if err := s.Publish(ctx, id); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(3 * wait):
		t.Fatal("Publish stalled behind a subscriber that does not read")
	}

	// The reading subscriber still hears new ids (delivery is best effort during a flood,
	// so keep announcing until it does).
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(wait)
	for {
		publish(t, s, marker)
		select {
		case <-seen:
			return
		case <-tick.C:
		case <-timeout:
			t.Fatal("the reading subscriber stopped receiving after the flood")
		}
	}
}

func signalsAfterLeave(t *testing.T, s ports.CancelSignals) {
	ctx, cancel := context.WithCancel(t.Context())
	gone := subscribe(t, s, ctx)
	stay := subscribe(t, s, t.Context())
	cancel()
	for range gone { // drain until closed
	}
	// Delivery is best effort while another test floods a shared broadcaster (the
	// slow-subscriber case), so announce fresh ids until one arrives.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(wait)
	mine := map[string]bool{}
	for {
		id := NewID()
		mine[id] = true
		publish(t, s, id)
		select {
		case got, ok := <-stay:
			require.True(t, ok, "channel closed while waiting for a signal")
			if mine[got] {
				return
			}
		case <-tick.C:
		case <-timeout:
			t.Fatal("no signal received after a subscriber left")
		}
	}
}
