package brave

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFreshness(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 23, 59, 0, 0, time.FixedZone("X", -5*3600)) // 2026-11-29 UTC
	cases := map[int]string{
		-1: "", 0: "", 1: "pd", 7: "pw", 31: "pm", 365: "py",
		2:   "2026-11-27to2026-11-29",
		30:  "2026-10-30to2026-11-29",
		366: "2025-11-28to2026-11-29",
	}
	for days, want := range cases {
		require.Equal(t, want, freshness(days, now), "days=%d", days)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	require.Equal(t, 0, retryAfter(h(), now))
	require.Equal(t, 3, retryAfter(h("Retry-After", "3"), now))
	require.Equal(t, 5, retryAfter(h("Retry-After", now.Add(5*time.Second).Format(http.TimeFormat)), now))
	// The exhausted window decides, wherever it sits in the list.
	require.Equal(t, 1, retryAfter(h("X-RateLimit-Remaining", "1943, 0", "X-RateLimit-Reset", "1419704, 1"), now))
	// Nothing exhausted: the per-second window found through the policy.
	require.Equal(t, 2, retryAfter(h("X-RateLimit-Policy", "2000;w=2592000, 1;w=1", "X-RateLimit-Remaining", "5, 1", "X-RateLimit-Reset", "99, 2"), now))
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	require.Equal(t, "a vector db & more", plainText("a <strong>vector</strong>   db &amp; more"))
	require.Equal(t, "1 < 2 and 3 > 2", plainText("1 < 2 and 3 > 2"))
	require.Equal(t, "x <", plainText("x <"))
}

func TestParseAge(t *testing.T) {
	t.Parallel()
	want := time.Date(2025, 6, 30, 5, 41, 0, 0, time.UTC)
	require.Equal(t, want, *parseAge("2025-06-30T05:41:00"))
	require.Equal(t, want, *parseAge("2025-06-30T07:41:00+02:00"))
	require.Equal(t, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), *parseAge("2025-06-30"))
	require.Nil(t, parseAge("3 days ago"))
	require.Nil(t, parseAge(""))
}
