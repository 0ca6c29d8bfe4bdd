package web_test

import (
	"math"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/web"
	"taskrunner/domain"
)

// A Retry-After too long for a Duration is a very long wait, never a wrapped-around short
// or negative one: the worker must see it as beyond its retry cap.
func TestRetryAfterNeverOverflows(t *testing.T) {
	t.Parallel()
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", r.URL.Query().Get("wait"))
		http.Error(w, "later", http.StatusServiceUnavailable)
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	for wait, want := range map[string]time.Duration{
		"3153600000":                3153600000 * time.Second,
		"99999999999":               time.Duration(math.MaxInt64),
		"999999999999999999999999":  time.Duration(math.MaxInt64),
		"-1":                        0,
		"Wed, 21 Oct 2015 07:28:00": 0,
	} {
		_, err := fetch(t, f, "http://127.0.0.1:"+port+"/?wait="+url.QueryEscape(wait))
		de := requireCode(t, err, domain.CodeFetchFailed)
		require.True(t, de.Retryable, wait)
		require.Equal(t, want, de.RetryAfter, wait)
	}
}
