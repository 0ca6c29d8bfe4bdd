package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestParseCallbackURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"http://127.0.0.1:8080/hook", "https://hooks.example.com/x?token=abc", "http://[::1]:9/"} {
		got, err := domain.ParseCallbackURL(ok)
		require.NoError(t, err, ok)
		require.Equal(t, ok, got)
	}
	for _, bad := range []string{"", "ftp://example.com/", "example.com/hook", "http:///nohost", "https://user:pw@example.com/",
		"http://example.com/\x00", "https://example.com/" + strings.Repeat("a", domain.MaxCallbackURLLen)} {
		_, err := domain.ParseCallbackURL(bad)
		var de *domain.Error
		require.ErrorAs(t, err, &de, "%q", bad)
		require.Equal(t, "callback_url", de.Details["field"], "%q", bad)
	}
}

func TestWebhookBackoffFollowsTheSchedule(t *testing.T) {
	t.Parallel()
	want := []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour, time.Hour, time.Hour}
	for i, w := range want {
		require.Equal(t, w, domain.WebhookBackoff(i+1, 0), "after attempt %d", i+1)
		jittered := domain.WebhookBackoff(i+1, 0.999)
		require.Less(t, jittered, w, "jitter only shortens")
		require.GreaterOrEqual(t, jittered, w*4/5)
	}
}

func TestFinishingATaskMakesItsCallbackDue(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	task := domain.Task{ID: "x", Status: domain.StatusQueued, Callback: domain.NewCallback("https://example.com/")}
	require.False(t, task.Callback.Due())
	require.NoError(t, task.Start("h", now))
	require.False(t, task.Callback.Due(), "not while it runs")
	require.NoError(t, task.Fail(domain.TaskError{Code: domain.CodeInternal}, now))
	require.True(t, task.Callback.Due())
	require.Equal(t, now, *task.Callback.NextAt)

	plain := domain.Task{ID: "y", Status: domain.StatusQueued}
	_, err := plain.Cancel(now)
	require.NoError(t, err)
	require.Nil(t, plain.Callback)
}

func TestSignWebhookMatchesAKnownVector(t *testing.T) {
	t.Parallel()
	// The example of the Standard Webhooks reference libraries.
	key, err := domain.ParseWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	require.NoError(t, err)
	got := domain.SignWebhook(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	require.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", got)
}
