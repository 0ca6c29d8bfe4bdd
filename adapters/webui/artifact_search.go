package webui

import (
	"encoding/json"
	"sort"
	"strconv"
)

// searchView is a search_results document as a ranked list with the providers' report.
type searchView struct {
	Query     string
	Error     string // a failed query of a batch
	Results   []resultView
	Providers []providerView
}

type resultView struct {
	Rank                      int
	Title, URL, Href, Snippet string
	Published                 string
	Sources                   []string
	Score                     string
}

type providerView struct {
	Name, Status, Error string
	Count               int
	LatencyMS           int64
}

// searchJSON is the part of search_results/v1 (and of each batch item) the page reads.
type searchJSON struct {
	Query   string `json:"query"`
	Results []struct {
		Title       string   `json:"title"`
		URL         string   `json:"url"`
		Snippet     string   `json:"snippet"`
		PublishedAt *string  `json:"published_at"`
		Sources     []string `json:"sources"`
		Score       float64  `json:"score"`
		Rank        int      `json:"rank"`
	} `json:"results"`
	Providers map[string]struct {
		Status      string `json:"status"`
		ResultCount int    `json:"result_count"`
		LatencyMS   int64  `json:"latency_ms"`
		Error       *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"providers"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s searchJSON) view() searchView {
	v := searchView{Query: s.Query}
	if s.Error != nil {
		v.Error = s.Error.Code + ": " + s.Error.Message
	}
	for i, r := range s.Results {
		rank := r.Rank
		if rank == 0 {
			rank = i + 1
		}
		rv := resultView{Rank: rank, Title: r.Title, URL: r.URL, Href: webHref(r.URL), Snippet: r.Snippet,
			Sources: r.Sources, Score: strconv.FormatFloat(r.Score, 'f', 3, 64)}
		if r.PublishedAt != nil {
			rv.Published = *r.PublishedAt
		}
		v.Results = append(v.Results, rv)
	}
	sort.SliceStable(v.Results, func(i, j int) bool { return v.Results[i].Rank < v.Results[j].Rank })
	for name, p := range s.Providers {
		pv := providerView{Name: name, Status: p.Status, Count: p.ResultCount, LatencyMS: p.LatencyMS}
		if p.Error != nil {
			pv.Error = p.Error.Code + ": " + p.Error.Message
		}
		v.Providers = append(v.Providers, pv)
	}
	sort.Slice(v.Providers, func(i, j int) bool { return v.Providers[i].Name < v.Providers[j].Name })
	return v
}

func parseSearchDoc(data []byte) *searchView {
	var doc searchJSON
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	v := doc.view()
	return &v
}

func parseBatchDoc(data []byte) []searchView {
	var doc struct {
		Items []searchJSON `json:"items"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	out := make([]searchView, 0, len(doc.Items))
	for _, it := range doc.Items {
		out = append(out, it.view())
	}
	return out
}
