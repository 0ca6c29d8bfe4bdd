// Package demo is an offline ports.SearchProvider for memory mode: it invents plausible
// results from the query alone (hash-seeded, no network, no key), so search works without
// provider keys and tests get the same answer every time. Its URLs live under
// demo.taskrunner.invalid, a name that can never resolve (RFC 2606).
package demo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.SearchProvider = (*Provider)(nil)

// Host is the host of every demo URL.
const Host = "demo.taskrunner.invalid"

// maxResults is the most results one demo search returns, like Brave's page size.
const maxResults = 20

// Config configures the provider. The zero value is ready to use.
type Config struct {
	Name  string      // source name; "" = "demo" (tests run two under different names)
	Clock ports.Clock // dates are counted back from its day; nil = the system clock
}

// Provider is the demo search provider. It is safe for concurrent use.
type Provider struct {
	name string
	now  func() time.Time
}

// New returns the provider.
func New(cfg Config) *Provider {
	p := &Provider{name: cfg.Name, now: func() time.Time { return time.Now().UTC() }}
	if p.name == "" {
		p.name = domain.SourceDemo
	}
	if cfg.Clock != nil {
		p.now = cfg.Clock.Now
	}
	return p
}

// Name returns the source name ("demo" unless configured otherwise).
func (p *Provider) Name() string { return p.name }

// titles and snippets are the templates results are made from; %s is the query.
var titles = []string{
	"%s: an introduction",
	"A practical guide to %s",
	"%s explained in five minutes",
	"What everyone gets wrong about %s",
	"%s: benchmarks and trade-offs",
	"Getting started with %s",
	"The state of %s this year",
	"%s in production: lessons learned",
	"Ten questions about %s, answered",
	"%s compared: the main options",
}

var snippets = []string{
	"An offline demo result about %s. It shows how search results look without provider keys.",
	"This page walks through %s step by step, with examples and common pitfalls.",
	"A short overview of %s for readers who want the essentials first.",
	"Notes from a team that adopted %s, including what they would do differently.",
	"Measurements and trade-offs around %s, gathered for this deterministic demo.",
}

// Search returns min(q.MaxResults, 20) results derived only from the query (case and
// spacing ignored) and, for dates, the current UTC day: the same query gives the same
// results all day. Dates fall inside the recency window when one is set.
func (p *Provider) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, domain.NewError(domain.CodeProviderError, "demo search cancelled").Transient().WithCause(err)
	}
	norm := domain.SearchKeyQuery(q.Query)
	if norm == "" {
		return []domain.SearchResult{}, nil
	}
	shown := domain.NormalizeQuery(q.Query)
	seed := sha256.Sum256([]byte(norm))
	slug := slugify(norm)
	n := min(max(q.MaxResults, 1), maxResults)
	day := p.now().UTC().Truncate(24 * time.Hour)
	window := q.RecencyDays
	if window <= 0 {
		window = 365
	}
	out := make([]domain.SearchResult, n)
	for i := range out {
		r := mix(seed, i)
		published := day.Add(-time.Duration(r%uint64(window)) * 24 * time.Hour)
		out[i] = domain.SearchResult{
			// Offsetting the template by i keeps neighbouring results from sharing a title.
			Title:       fmt.Sprintf(titles[(int(seed[0])+i)%len(titles)], shown),
			URL:         fmt.Sprintf("https://%s/%s/%d-%06x", Host, slug, i+1, r&0xffffff),
			Snippet:     fmt.Sprintf(snippets[(r>>16)%uint64(len(snippets))], shown),
			PublishedAt: &published,
			Source:      p.name,
		}
	}
	return out, nil
}

// mix derives the i-th pseudo-random number from the query's hash.
func mix(seed [32]byte, i int) uint64 {
	var b [40]byte
	copy(b[:], seed[:])
	binary.BigEndian.PutUint64(b[32:], uint64(i))
	h := sha256.Sum256(b[:])
	return binary.BigEndian.Uint64(h[:8])
}

// slugify keeps ASCII letters and digits of the query, joined by '-', at most 48 bytes.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	if b.Len() == 0 {
		return "q"
	}
	return b.String()
}
