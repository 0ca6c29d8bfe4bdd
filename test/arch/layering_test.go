package arch

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// repoRoot is the module root, seen from this package's directory.
var repoRoot = filepath.Join("..", "..")

func TestEveryPackageKeepsToItsLayer(t *testing.T) {
	t.Parallel()
	rep, err := check(repoRoot, rules)
	require.NoError(t, err)
	for _, v := range rep.violations {
		t.Error(v)
	}
	// A rule whose pattern matches nothing is a typo, and its layer would go unchecked.
	for _, r := range rules {
		require.Positive(t, rep.governed[r.name], "rule %q (%s) governs no file", r.name, r.pkgs)
	}
}

// TestCheckerCatchesViolations runs the real rules over synthetic trees of one file each,
// so that a checker that stopped looking would fail here rather than pass everything.
func TestCheckerCatchesViolations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, imp string
		broken          string // the rule the import breaks; "" when allowed, "-" when no rule governs
	}{
		{"adapter imports another adapter", "adapters/exa/exa.go", "taskrunner/adapters/brave", "adapters"},
		{"adapter imports the application", "adapters/exa/exa.go", "taskrunner/application", "adapters"},
		{"adapter imports bootstrap", "adapters/exa/exa.go", "taskrunner/bootstrap", "adapters"},
		{"adapter imports fx", "adapters/redis/queue.go", "go.uber.org/fx", "adapters"},
		{"adapter imports a test rig", "adapters/redis/queue.go", "taskrunner/test/harness", "adapters"},
		{"adapter uses its driver", "adapters/redis/queue.go", "github.com/redis/go-redis/v9", ""},
		{"adapter uses a shared library", "adapters/exa/exa.go", "taskrunner/adapters/internal/providerhttp", ""},
		{"shared library imports an adapter", "adapters/internal/lib/lib.go", "taskrunner/adapters/web", "adapters"},
		{"httpapi drives the application", "adapters/httpapi/server.go", "taskrunner/application", ""},
		{"httpapi imports another adapter", "adapters/httpapi/server.go", "taskrunner/adapters/metrics", "httpapi"},
		{"postgres embeds the schema", "adapters/postgres/migrate.go", "taskrunner/migrations", ""},
		{"adapter imports memory outside tests", "adapters/metrics/metrics.go", "taskrunner/adapters/memory", "adapters"},
		{"adapter test builds on memory", "adapters/metrics/metrics_test.go", "taskrunner/adapters/memory", ""},
		{"adapter test imports its package", "adapters/metrics/metrics_test.go", "taskrunner/adapters/metrics", ""},
		{"adapter test imports another real adapter", "adapters/metrics/metrics_test.go", "taskrunner/adapters/redis", "adapters"},
		{"test uses assert", "adapters/metrics/metrics_test.go", "github.com/stretchr/testify/assert", "adapters"},
		{"cmd imports an adapter", "cmd/taskrunner/extract.go", "taskrunner/adapters/extract", "cmd"},
		{"cmd imports the domain", "cmd/taskrunner/main.go", "taskrunner/domain", "cmd"},
		{"cmd calls bootstrap", "cmd/taskrunner/main.go", "taskrunner/bootstrap", ""},
		{"cmd runs its client", "cmd/taskrunner/main.go", "taskrunner/cmd/taskrunner/internal/cli", ""},
		{"the client imports the server", "cmd/taskrunner/internal/cli/cli.go", "taskrunner/bootstrap", "cli"},
		{"the client imports the domain", "cmd/taskrunner/internal/cli/cli.go", "taskrunner/domain", "cli"},
		{"the client's tests start a stack", "cmd/taskrunner/internal/cli/cli_test.go", "taskrunner/test/apptest", ""},
		{"domain imports a library", "domain/host.go", "golang.org/x/net/idna", "domain"},
		{"domain test uses its reference", "domain/host_test.go", "golang.org/x/net/idna", ""},
		{"ports import a driver", "ports/queue.go", "github.com/redis/go-redis/v9", "ports"},
		{"application imports an adapter", "application/fetch.go", "taskrunner/adapters/web", "application"},
		{"application test uses the real fetcher", "application/fetch_test.go", "taskrunner/adapters/web", ""},
		{"bootstrap imports a test rig", "bootstrap/app.go", "taskrunner/test/harness", "bootstrap"},
		{"test rig imports a command", "test/e2e/e2e_test.go", "taskrunner/cmd/taskrunner", "test"},
		{"package no rule governs", "tools/gen/gen.go", "fmt", "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			p := filepath.Join(root, filepath.FromSlash(tc.file))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte("package p\n\nimport _ \""+tc.imp+"\"\n"), 0o600))

			rep, err := check(root, rules)
			require.NoError(t, err)
			if tc.broken == "" {
				require.Empty(t, rep.violations)
				return
			}
			require.Len(t, rep.violations, 1)
			v := rep.violations[0]
			if tc.broken == "-" {
				require.Nil(t, v.rule)
				return
			}
			require.Equal(t, tc.imp, v.imp)
			require.Equal(t, tc.broken, v.rule.name)
		})
	}
}

// depguardRule finds a rule's name in .golangci.yml: a key followed by its files list.
var depguardRule = regexp.MustCompile(`(?m)^\s+([\w-]+):\s*\n\s+files:`)

// TestDepguardHasEveryRule keeps .golangci.yml in step with the table: every rule here has
// a depguard rule of the same name and the other way round, besides "tests", depguard's
// coarse rule for test files (it cannot say "a package's own path", so test files are
// checked precisely only here).
func TestDepguardHasEveryRule(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(repoRoot, ".golangci.yml"))
	require.NoError(t, err)
	var inLint []string
	for _, m := range depguardRule.FindAllStringSubmatch(string(b), -1) {
		inLint = append(inLint, m[1])
	}
	want := []string{"tests"}
	for _, r := range rules {
		want = append(want, r.name)
	}
	require.ElementsMatch(t, want, inLint)
	require.Contains(t, string(b), `^assert\.`, "forbidigo forbids testify's assert")
}

func TestEveryAdapterChecksItsPortsAtCompileTime(t *testing.T) {
	t.Parallel()
	root := filepath.Join(repoRoot, "adapters")
	dirs, err := os.ReadDir(root)
	require.NoError(t, err)
	// httpapi and webui drive the application rather than implement a port; internal holds the
	// libraries adapters share, which are not adapters.
	skip := map[string]bool{"httpapi": true, "webui": true, "internal": true}
	for _, d := range dirs {
		if !d.IsDir() || skip[d.Name()] {
			continue
		}
		files, err := filepath.Glob(filepath.Join(root, d.Name(), "*.go"))
		require.NoError(t, err)
		found := false
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			if compileTimeCheck.Match(b) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("adapters/%s has no compile-time check `var _ ports.X = (*T)(nil)`", d.Name())
		}
	}
}

// compileTimeCheck matches `var _ ports.X = ...` alone or inside a var block.
var compileTimeCheck = regexp.MustCompile(`(?m)^(var)?\s*_\s+ports\.\w+\s*=`)
