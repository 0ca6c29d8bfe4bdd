package arch

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// allowed lists, per inner layer, the module packages it may import. Anything else that is
// not the standard library (a framework, a driver, an adapter) breaks the hexagon: the
// domain stays pure, and the application runs unchanged on every adapter.
var allowed = map[string][]string{
	"domain":      {"taskrunner/domain"},
	"ports":       {"taskrunner/domain", "taskrunner/ports"},
	"application": {"taskrunner/domain", "taskrunner/ports", "taskrunner/application"},
}

// testOnly are imports the inner layers' tests may use on top: test helpers, the memory
// adapters the application's tests run on, the real fetcher and extractor that the fetch
// handler's tests drive against a local server, and x/net/idna as the reference the
// domain's small punycode encoder is checked against.
var testOnly = []string{
	"github.com/stretchr/testify/", "pgregory.net/rapid", "go.uber.org/goleak",
	"golang.org/x/net/idna",
	"taskrunner/adapters/memory", "taskrunner/adapters/sysclock", "taskrunner/adapters/web",
	"taskrunner/adapters/extract", "taskrunner/test/",
}

func TestInnerLayersImportNoFrameworkOrAdapter(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	for layer, ok := range allowed {
		files, err := filepath.Glob(filepath.Join(root, layer, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", layer, err)
		}
		for _, f := range files {
			isTest := strings.HasSuffix(f, "_test.go")
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if isStdlib(path) || hasPrefix(path, ok) || (isTest && hasPrefix(path, testOnly)) {
					continue
				}
				t.Errorf("%s imports %q: %s may import only the standard library and %v", f, path, layer, ok)
			}
		}
	}
}

func TestEveryAdapterChecksItsPortsAtCompileTime(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..", "adapters")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	// httpapi drives the application rather than implement a port; providerhttp is
	// plumbing shared by the brave and exa adapters.
	drivers := map[string]bool{"httpapi": true, "providerhttp": true}
	for _, d := range dirs {
		if !d.IsDir() || drivers[d.Name()] {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(root, d.Name(), "*.go"))
		found := false
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
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

func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && first != "taskrunner"
}

func hasPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return true
		}
	}
	return false
}
