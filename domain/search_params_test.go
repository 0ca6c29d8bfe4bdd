package domain_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func searchLimits() domain.Limits {
	l := domain.DefaultLimits()
	l.SearchSourceAllowlist = []string{"brave", "exa", "demo"}
	l.MaxBatchSize = 3
	return l
}

func requireField(t *testing.T, err error, code domain.Code, field string) {
	t.Helper()
	require.Error(t, err)
	var de *domain.Error
	require.True(t, errors.As(err, &de), "want *domain.Error, got %T", err)
	require.Equal(t, code, de.Code, de.Message)
	require.Equal(t, field, de.Details["field"], de.Message)
}

func TestParseSearchParamsDefaults(t *testing.T) {
	t.Parallel()
	p, err := domain.ParseSearchParams(json.RawMessage(`{"query":"  open   source\ttask runner \n"}`), domain.DefaultLimits())
	require.NoError(t, err)
	require.Equal(t, domain.SearchParams{Query: "open source task runner", Sources: []string{"brave"}, RecencyDays: 7, MaxResults: 10}, p)
}

func TestParseSearchParamsNormalizesSources(t *testing.T) {
	t.Parallel()
	p, err := domain.ParseSearchParams(json.RawMessage(`{"query":"q","sources":[" EXA","brave","exa"],"recency_days":0,"max_results":3,"extra":true}`), searchLimits())
	require.NoError(t, err)
	require.Equal(t, []string{"brave", "exa"}, p.Sources)
	require.Equal(t, 0, p.RecencyDays)
	require.Equal(t, 3, p.MaxResults)
}

func TestParseSearchParamsRejects(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", domain.SearchQueryMaxChars+1)
	words := strings.TrimSpace(strings.Repeat("w ", domain.SearchQueryMaxWords+1))
	cases := []struct {
		name, body string
		code       domain.Code
		field      string
	}{
		{"not an object", `[1]`, domain.CodeInvalidRequest, "params"},
		{"null", `null`, domain.CodeInvalidRequest, "params"},
		{"missing query", `{}`, domain.CodeInvalidParams, "params.query"},
		{"empty query", `{"query":"   "}`, domain.CodeInvalidParams, "params.query"},
		{"long query", `{"query":"` + long + `"}`, domain.CodeInvalidParams, "params.query"},
		{"too many words", `{"query":"` + words + `"}`, domain.CodeInvalidParams, "params.query"},
		{"control char", `{"query":"a\u0007b"}`, domain.CodeInvalidParams, "params.query"},
		{"query type", `{"query":5}`, domain.CodeInvalidRequest, "params.query"},
		{"sources type", `{"query":"q","sources":"brave"}`, domain.CodeInvalidRequest, "params.sources"},
		{"empty sources", `{"query":"q","sources":[]}`, domain.CodeInvalidParams, "params.sources"},
		{"unknown source", `{"query":"q","sources":["google"]}`, domain.CodeInvalidParams, "params.sources"},
		{"not allowed", `{"query":"q","sources":["exa"]}`, domain.CodeInvalidParams, "params.sources"},
		{"recency negative", `{"query":"q","recency_days":-1}`, domain.CodeInvalidParams, "params.recency_days"},
		{"recency huge", `{"query":"q","recency_days":3651}`, domain.CodeInvalidParams, "params.recency_days"},
		{"recency fraction", `{"query":"q","recency_days":1.5}`, domain.CodeInvalidRequest, "params.recency_days"},
		{"max zero", `{"query":"q","max_results":0}`, domain.CodeInvalidParams, "params.max_results"},
		{"max over cap", `{"query":"q","max_results":11}`, domain.CodeInvalidParams, "params.max_results"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := domain.ParseSearchParams(json.RawMessage(c.body), domain.DefaultLimits())
			requireField(t, err, c.code, c.field)
		})
	}
}

func TestParseSearchParamsQueryAtLimit(t *testing.T) {
	t.Parallel()
	q := strings.Repeat("ü", domain.SearchQueryMaxChars) // characters, not bytes
	p, err := domain.ParseSearchParams(json.RawMessage(`{"query":"`+q+`"}`), domain.DefaultLimits())
	require.NoError(t, err)
	require.Equal(t, q, p.Query)
}

func TestParseSearchBatchParams(t *testing.T) {
	t.Parallel()
	p, err := domain.ParseSearchBatchParams(json.RawMessage(`{"queries":[" a  b ","c","c"],"sources":["demo"],"recency_days":30}`), searchLimits())
	require.NoError(t, err)
	require.Equal(t, domain.SearchBatchParams{Queries: []string{"a b", "c", "c"}, Sources: []string{"demo"}, RecencyDays: 30, MaxResults: 10}, p)
	require.Equal(t, domain.SearchParams{Query: "c", Sources: []string{"demo"}, RecencyDays: 30, MaxResults: 10}, p.Query(1))
}

func TestParseSearchBatchParamsRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		code       domain.Code
		field      string
	}{
		{"missing", `{}`, domain.CodeInvalidParams, "params.queries"},
		{"empty", `{"queries":[]}`, domain.CodeInvalidParams, "params.queries"},
		{"too many", `{"queries":["a","b","c","d"]}`, domain.CodeInvalidParams, "params.queries"},
		{"blank member", `{"queries":["a"," "]}`, domain.CodeInvalidParams, "params.queries[1]"},
		{"wrong type", `{"queries":"a"}`, domain.CodeInvalidRequest, "params.queries"},
		{"member type", `{"queries":["a",2]}`, domain.CodeInvalidRequest, "params.queries"},
		{"bad source", `{"queries":["a"],"sources":["nope"]}`, domain.CodeInvalidParams, "params.sources"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := domain.ParseSearchBatchParams(json.RawMessage(c.body), searchLimits())
			requireField(t, err, c.code, c.field)
		})
	}
}
