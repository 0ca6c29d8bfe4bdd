package webui

import (
	"encoding/json"
	"fmt"
	"strings"

	"taskrunner/domain"
)

// researchView is a research_report as its pages with their excerpts. The report's format
// belongs to the research task (issue 13); the page reads it leniently, by the names such
// a report uses, and the raw JSON stays one click away.
type researchView struct {
	Queries []string
	Pages   []researchPage
}

type researchPage struct {
	Title, URL, Href, Excerpt, Status, Error string
	TaskID                                   string // the fetch_url child, when named and valid
}

func parseResearch(data []byte) *researchView {
	var doc map[string]any
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	v := &researchView{}
	if q := str(doc["query"]); q != "" {
		v.Queries = append(v.Queries, q)
	}
	if qs, ok := doc["queries"].([]any); ok {
		for _, q := range qs {
			if s := str(q); s != "" {
				v.Queries = append(v.Queries, s)
			}
		}
	}
	for _, key := range []string{"pages", "results", "sources", "items"} {
		list, ok := doc[key].([]any)
		if !ok {
			continue
		}
		for _, item := range list {
			if m, ok := item.(map[string]any); ok {
				v.Pages = append(v.Pages, pageOf(m))
			}
		}
		break
	}
	return v
}

func pageOf(m map[string]any) researchPage {
	p := researchPage{
		Title:   first(m, "title"),
		URL:     first(m, "url", "final_url"),
		Excerpt: first(m, "excerpt", "snippet", "summary", "text"),
		Status:  first(m, "status", "outcome"),
	}
	p.Href = webHref(p.URL)
	if id := first(m, "task_id", "child_id", "fetch_task_id"); domain.ValidID(id) {
		p.TaskID = id
	}
	switch e := m["error"].(type) {
	case string:
		p.Error = e
	case map[string]any:
		p.Error = strings.Trim(str(e["code"])+": "+str(e["message"]), ": ")
	}
	return p
}

func first(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := str(m[k]); s != "" {
			return s
		}
	}
	return ""
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}
