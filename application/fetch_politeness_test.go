package application_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
)

// politeSite serves robots (with status robotsStatus) at /robots.txt and an article
// elsewhere, counting robots.txt requests.
type politeSite struct {
	robots       string
	robotsStatus atomic.Int64
	robotsHits   atomic.Int64
}

func (s *politeSite) handler(t *testing.T) http.HandlerFunc {
	article, _ := page(t, "news_article", "text/html")
	return func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/robots.txt" {
			s.robotsHits.Add(1)
			if st := int(s.robotsStatus.Load()); st != 0 {
				w.WriteHeader(st)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(s.robots))
			return
		}
		article(w, req)
	}
}

func newPoliteRig(t *testing.T, s *politeSite, interval time.Duration) *fetchRig {
	r := newFetchRig(t, s.handler(t))
	r.deps.Politeness = application.Politeness{Pacer: memory.NewHostPacer(), HostInterval: interval,
		RespectRobots: true, RobotsTTL: time.Hour, UserAgent: "taskrunner-test/1.0"}
	r.rebuild(t)
	return r
}

func TestFetchRobotsDisallowAndCache(t *testing.T) {
	t.Parallel()
	s := &politeSite{robots: "User-agent: *\nDisallow: /\n\nUser-agent: taskrunner-test\nDisallow: /private\nAllow: /private/ok\n"}
	r := newPoliteRig(t, s, 0)

	_, _, err := r.run(t, `{"url":"`+r.site.URL+`/private/page"}`)
	de := requireFetchCode(t, err, domain.CodeFetchDisallowed)
	require.Contains(t, de.Message, "taskrunner-test")

	_, _, err = r.run(t, `{"url":"`+r.site.URL+`/private/ok/page"}`)
	require.NoError(t, err, "the longer allow wins")
	_, _, err = r.run(t, `{"url":"`+r.site.URL+`/public"}`)
	require.NoError(t, err, "our group, not *, applies")
	require.EqualValues(t, 1, s.robotsHits.Load(), "robots.txt is read once per host within the TTL")

	r.clock.Advance(2 * time.Hour)
	_, _, err = r.run(t, `{"url":"`+r.site.URL+`/public2"}`)
	require.NoError(t, err)
	require.EqualValues(t, 2, s.robotsHits.Load(), "and again after the TTL")
}

func TestFetchRobots4xxAllowsAnd5xxDefers(t *testing.T) {
	t.Parallel()
	s := &politeSite{robots: "User-agent: *\nDisallow: /\n"}
	s.robotsStatus.Store(http.StatusNotFound)
	r := newPoliteRig(t, s, 0)
	_, _, err := r.run(t, `{"url":"`+r.site.URL+`/a"}`)
	require.NoError(t, err, "a 404 robots.txt allows everything")

	s2 := &politeSite{robots: "User-agent: *\nAllow: /\n"}
	s2.robotsStatus.Store(http.StatusServiceUnavailable)
	r2 := newPoliteRig(t, s2, 0)
	_, _, err = r2.run(t, `{"url":"`+r2.site.URL+`/a"}`)
	d, ok := domain.AsDeferral(err)
	require.True(t, ok, "a 503 robots.txt means try later: %v", err)
	require.Equal(t, r2.clock.Now().Add(time.Minute), d.Until)
	before := s2.robotsHits.Load()
	_, _, err = r2.run(t, `{"url":"`+r2.site.URL+`/b"}`)
	_, ok = domain.AsDeferral(err)
	require.True(t, ok)
	require.Equal(t, before, s2.robotsHits.Load(), "not asked again before the recheck")

	s2.robotsStatus.Store(0)
	r2.clock.Advance(time.Minute)
	_, _, err = r2.run(t, `{"url":"`+r2.site.URL+`/a"}`)
	require.NoError(t, err, "reachable again: allowed")

	s3 := &politeSite{}
	s3.robotsStatus.Store(http.StatusInternalServerError)
	r3 := newPoliteRig(t, s3, 0)
	for range 31 {
		_, _, err = r3.run(t, `{"url":"`+r3.site.URL+`/a"}`)
		if _, deferred := domain.AsDeferral(err); !deferred {
			break
		}
		r3.clock.Advance(time.Minute)
	}
	de := requireFetchCode(t, err, domain.CodeFetchFailed)
	require.True(t, de.Retryable, "given up after half an hour, as a transient failure")
	require.Contains(t, de.Message, "robots.txt")
}

// Two fetches of a host within the in-slot wait start an interval apart; a third beyond
// it is deferred to just before its booked turn, and comes back to take it.
func TestFetchHostPacingWaitsThenDefers(t *testing.T) {
	t.Parallel()
	s := &politeSite{robots: "User-agent: *\nCrawl-delay: 1.5\n"}
	r := newPoliteRig(t, s, 100*time.Millisecond)
	_, _, err := r.run(t, `{"url":"`+r.site.URL+`/1"}`)
	require.NoError(t, err)
	// The fake clock stands still, so the next turn is 1.5 s (the crawl delay) from now:
	// within the 2 s wait, the handler sleeps until it.
	began := time.Now()
	_, _, err = r.run(t, `{"url":"`+r.site.URL+`/2"}`)
	require.NoError(t, err)
	require.GreaterOrEqual(t, time.Since(began), 1500*time.Millisecond, "waited for the host's turn")

	_, third, err := r.run(t, `{"url":"`+r.site.URL+`/3"}`)
	d, ok := domain.AsDeferral(err)
	require.True(t, ok, "the turn 3 s away is beyond the wait: %v", err)
	turn := r.clock.Now().Add(3 * time.Second)
	require.Equal(t, turn.Add(-time.Second), d.Until, "back a second before its turn")

	r.clock.Set(d.Until)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = r.handler.Run(ctx, third)
	require.NoError(t, err, "the deferred task takes its kept turn")
}
