package providertest

import (
	"net/http"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
)

// BravePath is the path of Brave's web search endpoint.
const BravePath = "/res/v1/web/search"

var braveFreshness = regexp.MustCompile(`^(pd|pw|pm|py|\d{4}-\d{2}-\d{2}to\d{4}-\d{2}-\d{2})$`)

// Brave is Brave's web search API as adapters/brave/testdata/README.md describes it, with
// key as the one valid subscription token. Brave refuses with 422: a missing
// X-Subscription-Token gets its VALIDATION body, a wrong one SUBSCRIPTION_TOKEN_INVALID; so
// do q (1..400 characters), count (1..20), freshness and an Accept other than JSON.
// Fixtures are read from adapters/brave/testdata.
func Brave(key string) API {
	return API{
		Method: http.MethodGet, Path: BravePath,
		ContentType: "application/json; charset=utf-8",
		Dir:         fixtureDir("brave"),
		Check: func(r *http.Request, _ []byte) *Reply {
			switch got := r.Header.Get("X-Subscription-Token"); {
			case got == "":
				return &Reply{Status: 422, Fixture: "brave_422_validation.json"}
			case got != key:
				return &Reply{Status: 422, Fixture: "brave_401.json"}
			}
			q := r.URL.Query()
			count, err := strconv.Atoi(q.Get("count"))
			fresh := q.Get("freshness")
			if q.Get("q") == "" || len([]rune(q.Get("q"))) > 400 || err != nil || count < 1 || count > 20 ||
				(fresh != "" && !braveFreshness.MatchString(fresh)) || r.Header.Get("Accept") != "application/json" {
				return &Reply{Status: 422, Body: `{"type":"ErrorResponse","error":{"code":"VALIDATION","detail":"bad params","status":422}}`}
			}
			return nil
		},
	}
}

// fixtureDir is the testdata directory of the named adapter, found from this file so that
// tests in any package can serve the adapter's fixtures.
func fixtureDir(adapter string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "adapters", adapter, "testdata")
}
