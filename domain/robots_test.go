package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestRobotsProductToken(t *testing.T) {
	t.Parallel()
	require.Equal(t, "taskrunner", domain.RobotsProductToken("taskrunner/1.0 (+https://example.com)"))
	require.Equal(t, "my-bot_x", domain.RobotsProductToken(" My-Bot_X/2"))
	require.Equal(t, "", domain.RobotsProductToken("/1.0"))
}

// TestRobotsAllowed follows the examples and rules of RFC 9309 section 2.2.
func TestRobotsAllowed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, robots, path string
		allowed            bool
	}{
		{"no file allows", "", "/a", true},
		{"disallow all", "User-agent: *\nDisallow: /\n", "/a", false},
		{"robots.txt always allowed", "User-agent: *\nDisallow: /\n", "/robots.txt", true},
		{"empty disallow is no rule", "User-agent: *\nDisallow:\n", "/a", true},
		{"prefix match", "User-agent: *\nDisallow: /private\n", "/private/x", false},
		{"prefix does not match elsewhere", "User-agent: *\nDisallow: /private\n", "/public/private", true},
		{"longest match wins: allow", "User-agent: *\nDisallow: /a\nAllow: /a/b\n", "/a/b/c", true},
		{"longest match wins: disallow", "User-agent: *\nAllow: /a\nDisallow: /a/b\n", "/a/b/c", false},
		{"allow wins a tie", "User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", true},
		{"allow wins a tie in either order", "User-agent: *\nAllow: /page\nDisallow: /page\n", "/page", true},
		{"star in the middle", "User-agent: *\nDisallow: /*.php\n", "/dir/index.php?x=1", false},
		{"star no match", "User-agent: *\nDisallow: /*.php\n", "/dir/index.html", true},
		{"dollar anchors the end", "User-agent: *\nDisallow: /*.php$\n", "/index.php", false},
		{"dollar with more after", "User-agent: *\nDisallow: /*.php$\n", "/index.php?x=1", true},
		{"dollar exact", "User-agent: *\nDisallow: /$\n", "/", false},
		{"dollar exact other path", "User-agent: *\nDisallow: /$\n", "/a", true},
		{"star then dollar backtracks", "User-agent: *\nDisallow: /*a$\n", "/banana", false},
		{"query is matched", "User-agent: *\nDisallow: /search?q=\n", "/search?q=go", false},
		{"our group, not star", "User-agent: *\nDisallow: /\n\nUser-agent: taskrunner\nDisallow: /only\n", "/a", true},
		{"our group disallows", "User-agent: *\nDisallow: /\n\nUser-agent: taskrunner\nDisallow: /only\n", "/only/x", false},
		{"agent match is case-insensitive", "User-agent: TaskRunner/2.0\nDisallow: /x\n", "/x", false},
		{"other agent only", "User-agent: otherbot\nDisallow: /\n", "/x", true},
		{"groups for us are merged", "User-agent: taskrunner\nDisallow: /a\n\nUser-agent: other\nDisallow: /b\n\nUser-agent: taskrunner\nDisallow: /c\n", "/c", false},
		{"several agents share a group", "User-agent: other\nUser-agent: taskrunner\nDisallow: /shared\n", "/shared", false},
		{"agent after rules starts a group", "User-agent: taskrunner\nDisallow: /a\nUser-agent: other\nDisallow: /b\n", "/b", true},
		{"comments and case of keys", "# hi\nUSER-AGENT: * # all\nDISALLOW: /x # no\n", "/x", false},
		{"CRLF lines", "User-agent: *\r\nDisallow: /x\r\n", "/x", false},
		{"CR lines", "User-agent: *\rDisallow: /x\r", "/x", false},
		{"unknown lines ignored", "User-agent: *\nSitemap: https://e.com/s.xml\nFoo: bar\nDisallow: /x\n", "/x", false},
		{"rule before any group ignored", "Disallow: /\nUser-agent: *\nAllow: /\n", "/x", true},
		{"percent-encoding: UTF-8 pattern", "User-agent: *\nDisallow: /café\n", "/caf%C3%A9", false},
		{"percent-encoding: hex case", "User-agent: *\nDisallow: /a%2fb\n", "/a%2Fb", false},
		{"BOM is ignored", "\xEF\xBB\xBFUser-agent: *\nDisallow: /x\n", "/x", false},
	}
	for _, c := range cases {
		r := domain.ParseRobots([]byte(c.robots), "taskrunner")
		require.Equal(t, c.allowed, r.Allowed(c.path), c.name)
	}
}

func TestRobotsCrawlDelayAndBounds(t *testing.T) {
	t.Parallel()
	r := domain.ParseRobots([]byte("User-agent: taskrunner\nCrawl-delay: 2.5\nDisallow: /x\n"), "taskrunner")
	require.Equal(t, 2500*time.Millisecond, r.CrawlDelay)
	r = domain.ParseRobots([]byte("User-agent: *\nCrawl-delay: 86400\n"), "taskrunner")
	require.Equal(t, domain.MaxRobotsCrawlDelay, r.CrawlDelay)

	// Only the first 500 KiB are read: a rule past it does not count.
	big := "User-agent: *\n" + strings.Repeat("# padding line\n", domain.MaxRobotsBytes/15+10) + "Disallow: /late\n"
	require.Greater(t, len(big), domain.MaxRobotsBytes)
	require.True(t, domain.ParseRobots([]byte(big), "taskrunner").Allowed("/late"))
}
