package application

import (
	"time"

	"taskrunner/domain"
)

// searchRun is the run of a finished search: scope "search", key the request hash, with
// per-source metrics ("<source>.latency_ms", ".result_count", ".cached", ".ok") and the
// totals "result_count" and "cached".
func searchRun(p domain.SearchParams, key, taskID string, out searchAnswer, began, ended time.Time) domain.Run {
	r := domain.Run{
		Scope: domain.ScopeSearch, Key: domain.RunKey(domain.ScopeSearch, key), TaskID: taskID,
		Status: domain.RunSucceeded, ArtifactIDs: []string{out.artifactID}, StartedAt: began, FinishedAt: ended,
	}
	r.Metrics = providerMetrics(p.Sources, out.providers)
	r.Metrics = append(r.Metrics,
		domain.Metric{Name: "result_count", Value: float64(out.doc.ResultCount)},
		domain.Metric{Name: "cached", Value: boolMetric(out.cached)})
	if out.reused {
		r.Notes = append(r.Notes, domain.Note{Text: "reused artifact " + out.artifactID + " of an identical search", CreatedAt: ended})
	}
	return r
}

// failedSearchRun is the run of a search in which every source failed.
func failedSearchRun(p domain.SearchParams, key, taskID string, agg aggregate, err error, began, ended time.Time) domain.Run {
	r := domain.Run{
		Scope: domain.ScopeSearch, Key: domain.RunKey(domain.ScopeSearch, key), TaskID: taskID,
		Status: domain.RunFailed, StartedAt: began, FinishedAt: ended,
	}
	r.Metrics = providerMetrics(p.Sources, agg.providers)
	r.Metrics = append(r.Metrics, domain.Metric{Name: "result_count", Value: 0}, domain.Metric{Name: "cached", Value: 0})
	for _, src := range p.Sources {
		if f := agg.failures[src]; f != nil {
			r.Notes = append(r.Notes, domain.Note{Text: src + " failed: " + string(f.Code) + ": " + f.Message, CreatedAt: ended})
		}
	}
	if len(r.Notes) == 0 {
		r.Notes = append(r.Notes, domain.Note{Text: err.Error(), CreatedAt: ended})
	}
	return r
}

func providerMetrics(sources []string, reports map[string]ProviderReport) []domain.Metric {
	var ms []domain.Metric
	for _, src := range sources {
		rep, ok := reports[src]
		if !ok {
			continue
		}
		ms = append(ms,
			domain.Metric{Name: src + ".latency_ms", Value: float64(rep.LatencyMS)},
			domain.Metric{Name: src + ".result_count", Value: float64(rep.ResultCount)},
			domain.Metric{Name: src + ".cached", Value: boolMetric(rep.Status == ProviderCached)},
			domain.Metric{Name: src + ".ok", Value: boolMetric(rep.Status != ProviderError)},
		)
	}
	return ms
}

func boolMetric(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
