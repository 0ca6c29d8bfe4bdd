package domain

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Bounds of robots.txt handling. RFC 9309 asks crawlers to parse at least 500 KiB; what
// lies beyond is ignored. The rule and pattern caps keep one hostile file from costing
// more than a page would.
const (
	MaxRobotsBytes      = 500 << 10
	maxRobotsRules      = 10_000
	maxRobotsPatternLen = 2048
	MaxRobotsCrawlDelay = 60 * time.Second
	robotsTxtPath       = "/robots.txt"
	robotsWildcardAgent = "*"
)

// RobotsRule is one allow or disallow line of the group that applies to us.
type RobotsRule struct {
	Allow   bool   `json:"allow"`
	Pattern string `json:"pattern"` // percent-encoding normalized; may hold * and a final $
}

// RobotsRules are the rules of a robots.txt that apply to one product token: the matching
// groups merged (or the "*" groups when none matches), and the group's Crawl-delay. The zero
// value allows everything (no robots.txt, or a 4xx for it).
type RobotsRules struct {
	Rules      []RobotsRule  `json:"rules,omitempty"`
	CrawlDelay time.Duration `json:"crawl_delay,omitempty"` // capped at MaxRobotsCrawlDelay
}

// RobotsProductToken is the part of a User-Agent that robots.txt groups name: its leading
// letters, '_' and '-' ("taskrunner/1.0 (+https://...)" gives "taskrunner"), as RFC 9309
// section 2.2.1 describes.
func RobotsProductToken(userAgent string) string {
	ua := strings.TrimSpace(userAgent)
	end := 0
	for end < len(ua) && isTokenByte(ua[end]) {
		end++
	}
	return strings.ToLower(ua[:end])
}

func isTokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-'
}

// robotsGroup is a group while parsing: its user agents and lines.
type robotsGroup struct {
	agents     []string
	rules      []RobotsRule
	crawlDelay time.Duration
	hasDelay   bool
}

// ParseRobots reads a robots.txt (its first MaxRobotsBytes) and returns the rules for
// productToken (case-insensitive), per RFC 9309: groups start with one or more user-agent
// lines; every group naming the token is merged; when none does, the "*" groups are; an
// empty disallow is no rule; unknown lines are ignored; a user-agent line after rules
// starts a new group.
func ParseRobots(body []byte, productToken string) RobotsRules {
	if len(body) > MaxRobotsBytes {
		body = body[:MaxRobotsBytes]
	}
	body = bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF})
	groups := parseRobotsGroups(body)
	token := strings.ToLower(productToken)
	out := mergeGroups(groups, func(agent string) bool { return token != "" && agent == token })
	if out == nil {
		out = mergeGroups(groups, func(agent string) bool { return agent == robotsWildcardAgent })
	}
	if out == nil {
		return RobotsRules{}
	}
	return *out
}

func parseRobotsGroups(body []byte) []*robotsGroup {
	var groups []*robotsGroup
	var cur *robotsGroup
	inAgents := false // the previous significant line was a user-agent line
	rules := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), MaxRobotsBytes+1)
	sc.Split(scanRobotsLines)
	for sc.Scan() {
		key, value, ok := robotsLine(sc.Text())
		if !ok {
			continue
		}
		switch key {
		case "user-agent":
			if !inAgents {
				cur = &robotsGroup{}
				groups = append(groups, cur)
			}
			inAgents = true
			cur.agents = append(cur.agents, agentName(value))
		case "allow", "disallow":
			inAgents = false
			if cur == nil || value == "" || rules >= maxRobotsRules || len(value) > maxRobotsPatternLen {
				continue // rules before any group, and empty patterns, match nothing
			}
			cur.rules = append(cur.rules, RobotsRule{Allow: key == "allow", Pattern: normalizeRobotsPath(value)})
			rules++
		case "crawl-delay":
			inAgents = false
			if cur != nil {
				if secs, err := strconv.ParseFloat(value, 64); err == nil && secs >= 0 {
					cur.crawlDelay = min(time.Duration(secs*float64(time.Second)), MaxRobotsCrawlDelay)
					cur.hasDelay = true
				}
			}
		default:
			// Sitemap and other records neither start nor end a group's user-agent lines
			// by the RFC's grammar; they are ignored.
		}
	}
	return groups
}

// scanRobotsLines splits on LF, CR or CRLF, as the RFC's EOL allows.
func scanRobotsLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			return i + 2, data[:i], nil
		}
		if data[i] == '\r' && i+1 == len(data) && !atEOF {
			return 0, nil, nil // a CRLF may be split across reads
		}
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// robotsLine splits "Key: value # comment" into the lowercased key and trimmed value.
func robotsLine(line string) (key, value string, ok bool) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	k, v, found := strings.Cut(line, ":")
	if !found {
		return "", "", false
	}
	return strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v), true
}

// agentName is the product token a user-agent line names, lowercased; "*" stays "*".
func agentName(value string) string {
	if strings.HasPrefix(value, "*") {
		return robotsWildcardAgent
	}
	return RobotsProductToken(value)
}

// mergeGroups merges every group with an agent that match accepts; nil when none does.
func mergeGroups(groups []*robotsGroup, match func(string) bool) *RobotsRules {
	var out *RobotsRules
	for _, g := range groups {
		named := false
		for _, a := range g.agents {
			named = named || match(a)
		}
		if !named {
			continue
		}
		if out == nil {
			out = &RobotsRules{}
		}
		out.Rules = append(out.Rules, g.rules...)
		if g.hasDelay {
			out.CrawlDelay = max(out.CrawlDelay, g.crawlDelay)
		}
	}
	return out
}

// Allowed reports whether a URL path (with its query, as sent in the request line) may be
// fetched: the longest matching pattern decides, an allow wins a tie, and no match allows
// (RFC 9309 section 2.2.2). /robots.txt itself is always allowed.
func (r RobotsRules) Allowed(pathAndQuery string) bool {
	path := normalizeRobotsPath(pathAndQuery)
	if path == "" {
		path = "/"
	}
	if path == robotsTxtPath {
		return true
	}
	best, allow := -1, true
	for _, rule := range r.Rules {
		if !robotsMatch(rule.Pattern, path) {
			continue
		}
		n := len(rule.Pattern)
		if n > best || (n == best && rule.Allow) {
			best, allow = n, rule.Allow
		}
	}
	return allow
}

// robotsMatch reports whether pattern matches a prefix of path ("$" at the end anchors it
// to the whole path; "*" matches any run of characters). Greedy with one backtrack point:
// O(len(pattern) * len(path)) at worst, both bounded.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	p, s := 0, 0
	star, mark := -1, 0
	for {
		switch {
		case p == len(pattern):
			if !anchored || s == len(path) {
				return true
			}
			if star < 0 { // anchored and path left over: only a star can absorb it
				return false
			}
		case pattern[p] == '*':
			star, mark = p, s
			p++
			continue
		case s < len(path) && pattern[p] == path[s]:
			p++
			s++
			continue
		}
		if star < 0 || mark >= len(path) {
			return false
		}
		mark++
		p, s = star+1, mark
	}
}

// normalizeRobotsPath percent-encodes bytes outside printable ASCII and uppercases the hex
// of existing escapes, so a pattern written with "é" matches a path sent as "%C3%A9".
func normalizeRobotsPath(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			i += 2
		case c <= 0x20 || c >= 0x7f:
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)>>4, 16)) + strings.ToUpper(strconv.FormatInt(int64(c)&15, 16)))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
