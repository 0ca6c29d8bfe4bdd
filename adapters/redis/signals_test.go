package redis_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/test/harness"
)

// A cancel published by one process reaches subscribers in every process on the prefix,
// and none on another prefix.
func TestCancelSignalsReachEveryProcess(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	other := harness.Redis(t)
	pub, err := redis.NewCancelSignals(process(t, r), r.Prefix)
	require.NoError(t, err)

	var subs []<-chan string
	for range 2 {
		s, err := redis.NewCancelSignals(process(t, r), r.Prefix)
		require.NoError(t, err)
		ch, err := s.Subscribe(t.Context())
		require.NoError(t, err)
		subs = append(subs, ch)
	}
	foreign, err := redis.NewCancelSignals(other.Client, other.Prefix)
	require.NoError(t, err)
	foreignCh, err := foreign.Subscribe(t.Context())
	require.NoError(t, err)

	require.NoError(t, pub.Publish(t.Context(), "task-1"))
	for i, ch := range subs {
		select {
		case id := <-ch:
			require.Equal(t, "task-1", id, "subscriber %d", i)
		case <-time.After(10 * time.Second):
			t.Fatalf("subscriber %d heard nothing", i)
		}
	}
	select {
	case id := <-foreignCh:
		t.Fatalf("a subscriber on another prefix heard %q", id)
	case <-time.After(100 * time.Millisecond):
	}
}
