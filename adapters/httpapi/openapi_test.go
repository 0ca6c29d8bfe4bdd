package httpapi_test

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromData(httpapi.OpenAPIDocument())
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	require.Equal(t, "3.0.3", doc.OpenAPI)

	// Every route of API.md is described.
	for path, methods := range map[string][]string{
		"/health": {"GET"}, "/limits": {"GET"}, "/metrics": {"GET"}, "/openapi.json": {"GET"},
		"/tasks": {"GET", "POST"}, "/tasks/batch": {"POST"}, "/tasks/{id}": {"GET"}, "/tasks/{id}/cancel": {"POST"},
		"/tasks/{id}/artifacts": {"GET"}, "/search": {"POST"}, "/search/batch": {"POST"}, "/fetch": {"POST"},
		"/artifacts": {"POST"}, "/artifacts/{id}/meta": {"GET"}, "/artifacts/{id}": {"GET"},
		"/runs": {"GET"}, "/schedules": {"GET", "POST"}, "/schedules/{id}": {"GET", "PATCH", "DELETE"},
	} {
		item := doc.Paths.Value(path)
		require.NotNil(t, item, path)
		for _, m := range methods {
			require.NotNil(t, item.GetOperation(m), "%s %s", m, path)
		}
	}
	for _, name := range []string{"SearchResult", "SearchBatchResult", "SearchProviderReport", "SearchResultsDocument",
		"SearchBatchResultsDocument", "FetchURLResult", "SleepResult", "Error", "Task", "Artifact", "RunLookup", "Run",
		"Schedule", "ScheduleList", "ScheduleCreate", "SchedulePatch", "ScheduleTask"} {
		require.Contains(t, doc.Components.Schemas, name)
	}
}
