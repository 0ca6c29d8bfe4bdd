package bootstrap

import (
	"log/slog"
	"slices"
	"strings"

	"taskrunner/domain"
)

// checkSearchSources refuses a SEARCH_SOURCE_ALLOWLIST entry that is no search source at
// all (API.md): "google" in the list would otherwise sit there unnoticed until a search
// named it.
func (r *reader) checkSearchSources(names []string) {
	for _, n := range names {
		if !slices.Contains(domain.KnownSearchSources, strings.ToLower(n)) {
			r.fail("SEARCH_SOURCE_ALLOWLIST", "names %q, which is no search source; known sources: %s",
				n, strings.Join(domain.KnownSearchSources, ", "))
		}
	}
}

// sourceAnswers reports whether this process's provider for source can answer a search:
// Brave and Exa with their keys, demo in memory mode only (services mode wires no demo
// provider: a search naming it reports provider_not_configured).
func (c Config) sourceAnswers(source string) bool {
	switch source {
	case domain.SourceBrave:
		return c.BraveAPIKey != ""
	case domain.SourceExa:
		return c.ExaAPIKey != ""
	case domain.SourceDemo:
		return c.Mode == ModeMemory
	}
	return false
}

// defaultSearchSources are the sources of a search that names none: Brave when it is
// allowed and has its key (API.md's default); else the other allowed real sources that can
// answer; else demo when it can (memory mode without keys); else none, and the default of
// domain.ResolveSources stands (Brave: the search then says what is missing).
func (c Config) defaultSearchSources() []string {
	usable := func(s string) bool { return c.Limits.SourceAllowed(s) && c.sourceAnswers(s) }
	if usable(domain.SourceBrave) {
		return []string{domain.SourceBrave}
	}
	var real []string
	for _, s := range domain.KnownSearchSources {
		if s != domain.SourceDemo && usable(s) {
			real = append(real, s)
		}
	}
	if len(real) > 0 {
		return real
	}
	if usable(domain.SourceDemo) {
		return []string{domain.SourceDemo}
	}
	return nil
}

// warnSearchSources logs, at start-up, an allowed source this process cannot answer with
// for a reason the operator may not expect: demo in services mode (it is an offline
// stand-in that only memory mode wires).
func warnSearchSources(l *slog.Logger, c Config) {
	if c.Mode == ModeServices && c.Limits.SourceAllowed(domain.SourceDemo) {
		l.Warn("search_source_unavailable", "source", domain.SourceDemo, "setting", "SEARCH_SOURCE_ALLOWLIST",
			"reason", "demo answers only in memory mode; a search naming it reports provider_not_configured")
	}
}
