package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

// TestQueryAllowlistsMatchTheDocument keeps each route's allowQuery list and the
// document's query parameters in step: every documented parameter is taken, and a route
// with documented parameters refuses one it does not know. A parameter added to one and
// not the other fails here, naming the route and the parameter.
func TestQueryAllowlistsMatchTheDocument(t *testing.T) {
	t.Parallel()
	r := setup(t)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(httpapi.OpenAPIDocument(), &doc))
	checked := 0
	for path, item := range doc.Paths {
		op, ok := item["get"]
		if !ok {
			continue
		}
		var get struct {
			Parameters []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
		}
		require.NoError(t, json.Unmarshal(op, &get))
		concrete := pathWithIDs(path)
		var names []string
		for _, p := range get.Parameters {
			if p.In == "query" {
				names = append(names, p.Name)
			}
		}
		if len(names) == 0 {
			continue
		}
		checked++
		for _, name := range names {
			resp := r.do("GET", concrete+"?"+name+"=x", nil)
			if resp.StatusCode == http.StatusBadRequest {
				require.NotContains(t, resp.errorMessage(t), "unknown query parameter",
					"GET %s documents %q but its allowQuery list (routes.go) lacks it", path, name)
			}
		}
		resp := r.do("GET", concrete+"?not_a_parameter=1", nil)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode,
			"GET %s has query parameters but takes unknown ones: give its route allowQuery(%s) in routes.go", path, strings.Join(names, ", "))
		require.Equal(t, "not_a_parameter", resp.errorField(t), path)
	}
	require.Positive(t, checked)
}

// pathWithIDs fills a path template's parameters with a well-formed id.
func pathWithIDs(path string) string {
	for {
		start := strings.Index(path, "{")
		if start < 0 {
			return path
		}
		end := strings.Index(path[start:], "}")
		path = path[:start] + "0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b" + path[start+end+1:]
	}
}
