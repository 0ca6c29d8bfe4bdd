package memory_test

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

func TestTaskStoreRejectsNonUUID(t *testing.T) {
	t.Parallel()
	s := memory.NewTaskStore()
	_, _, err := s.Create(t.Context(), contract.NewTask(func(t *domain.Task) { t.ID = "t1" }))
	require.Error(t, err, "Postgres stores uuid; so does the memory store")
}

func TestTaskStoreUpdateKeepsID(t *testing.T) {
	t.Parallel()
	s := memory.NewTaskStore()
	task := contract.NewTask()
	_, _, err := s.Create(t.Context(), task)
	require.NoError(t, err)
	got, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error { cur.ID = contract.NewID(); return nil })
	require.NoError(t, err)
	require.Equal(t, task.ID, got.ID)
}

func TestCacheFakeClockExpiresAtTTL(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(epoch)
	c := memory.NewCache(clock)
	require.NoError(t, c.Set(t.Context(), "k", []byte("v"), time.Minute))
	clock.Advance(time.Minute - time.Nanosecond)
	_, ok, _ := c.Get(t.Context(), "k")
	require.True(t, ok)
	clock.Advance(time.Nanosecond)
	_, ok, _ = c.Get(t.Context(), "k")
	require.False(t, ok, "expired at exactly ttl")
	require.Error(t, c.Set(t.Context(), "k", []byte("v"), 0), "ttl must be > 0")
}

func TestRateLimiterSlidingWindow(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(epoch)
	l := memory.NewRateLimiter(clock)
	r := domain.RateLimit{Key: "k", Limit: 2, Window: 10 * time.Second}
	allow := func() domain.RateDecision {
		d, err := l.Allow(t.Context(), r)
		require.NoError(t, err)
		return d
	}
	require.True(t, allow().Allowed)
	clock.Advance(5 * time.Second)
	require.True(t, allow().Allowed)
	clock.Advance(1800 * time.Millisecond)
	d := allow()
	require.False(t, d.Allowed)
	require.Equal(t, 4*time.Second, d.RetryAfter, "3.2s until the first event leaves, rounded up")
	clock.Advance(3200 * time.Millisecond) // the first event leaves the window
	d = allow()
	require.True(t, d.Allowed)
	require.Equal(t, 0, d.Remaining)
	require.False(t, allow().Allowed, "the second and third events still fill the window")

	_, err := l.Allow(t.Context(), domain.RateLimit{Key: "k", Limit: 0, Window: time.Second})
	require.Error(t, err)
}

func TestCancelSignalsDropsWhenSubscriberBufferFull(t *testing.T) {
	t.Parallel()
	s := memory.NewCancelSignals()
	ch, err := s.Subscribe(t.Context())
	require.NoError(t, err)
	const buffered = 1024 // the documented per-subscriber buffer
	for i := range buffered + 10 {
		require.NoError(t, s.Publish(t.Context(), string(rune('a'+i%26))))
	}
	require.Len(t, ch, buffered, "the buffer holds the first ids; the rest are dropped")
}

func TestBlobStoreRejectsBadInput(t *testing.T) {
	t.Parallel()
	s := memory.NewBlobStore()
	err := s.Put(t.Context(), domain.BlobPut{Key: "k", Body: bytes.NewReader([]byte("abc")), Size: 4})
	require.Error(t, err, "body shorter than Size")
	ok, err := s.Exists(t.Context(), "k")
	require.NoError(t, err)
	require.False(t, ok, "a failed Put stores nothing")

	require.NoError(t, s.Put(t.Context(), domain.BlobPut{Key: "k", Body: bytes.NewReader([]byte("abc")), Size: 3}))
	for _, r := range []domain.ByteRange{{Start: 3, End: 5}, {Start: 2, End: 1}, {Start: -1, End: 1}} {
		_, err := s.Open(t.Context(), "k", &r)
		require.Error(t, err, "range %+v", r)
	}
	rc, err := s.Open(t.Context(), "k", &domain.ByteRange{Start: 1, End: 99})
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	require.Equal(t, "bc", string(b))
}

func TestFakeClock(t *testing.T) {
	t.Parallel()
	c := memory.NewFakeClock(epoch.In(time.FixedZone("x", 3600)))
	require.Equal(t, time.UTC, c.Now().Location())
	require.True(t, c.Now().Equal(epoch))
	c.Advance(time.Second)
	require.True(t, c.Now().Equal(epoch.Add(time.Second)))
	c.Set(epoch)
	require.True(t, c.Now().Equal(epoch))
}
