package redis_test

import (
	"context"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// TestTaskEventsPublishOnlyWhileSomeoneListens: with no subscription registered, Publish
// sends nothing; from the moment a Subscribe returned it sends, and after that
// subscription ended it stops again. A raw subscriber on the channel (not registered)
// sees what goes over the wire: each phase publishes a marker after the silent one, so
// the first message the raw subscriber receives says whether the silent one was sent.
func TestTaskEventsPublishOnlyWhileSomeoneListens(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	raw := r.Client.Subscribe(t.Context(), redis.EventsChannelName(r.Prefix))
	t.Cleanup(func() { _ = raw.Close() })
	_, err := raw.Receive(t.Context())
	require.NoError(t, err, "subscription confirmed")

	// Each publisher is fresh: one that saw a listener may go on publishing for a second.
	publish := func(tk domain.Task) {
		t.Helper()
		pub, err := redis.NewTaskEvents(r.Client, r.Prefix, nil)
		require.NoError(t, err)
		require.NoError(t, pub.Publish(t.Context(), []domain.Task{tk}))
	}
	nextOnWire := func() *goredis.Message {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		for {
			msg, err := raw.Receive(ctx)
			require.NoError(t, err)
			if m, ok := msg.(*goredis.Message); ok {
				return m
			}
		}
	}
	listen := func() (context.CancelFunc, <-chan domain.TaskEvent) {
		t.Helper()
		ctx, cancel := context.WithCancel(t.Context())
		sub, err := redis.NewTaskEvents(r.Client, r.Prefix, nil)
		require.NoError(t, err)
		ch, err := sub.Subscribe(ctx)
		require.NoError(t, err)
		return cancel, ch
	}

	silent, heard := contract.NewTask(), contract.NewTask()
	publish(silent)
	stop, ch := listen()
	publish(heard)
	first := nextOnWire()
	ev := <-ch
	require.Equal(t, heard.ID, ev.Task.ID, "the listener gets what was published after it subscribed")
	require.NotContains(t, first.Payload, silent.ID, "nothing went out while nobody listened")
	require.Contains(t, first.Payload, heard.ID)

	stop()
	require.Eventually(t, func() bool {
		n, err := r.Client.ZCard(t.Context(), redis.EventsListenersKey(r.Prefix)).Result()
		return err == nil && n == 0
	}, 10*time.Second, 10*time.Millisecond, "an ended subscription withdraws its registration")
	silent, heard = contract.NewTask(), contract.NewTask()
	publish(silent)
	stop, _ = listen()
	defer stop()
	publish(heard)
	first = nextOnWire()
	require.NotContains(t, first.Payload, silent.ID, "nothing went out after the last listener left")
	require.Contains(t, first.Payload, heard.ID)
}
