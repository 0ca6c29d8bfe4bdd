package arch

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// module is the module path of go.mod.
const module = "taskrunner"

// rule says what the Go files of some packages may import.
type rule struct {
	name  string   // the depguard rule of the same name in .golangci.yml says the same
	pkgs  string   // the packages it governs, a pattern
	allow []string // what their files may import
	deny  []string // refused even when allow matches
	tests []string // what their _test.go files may import on top of allow
	why   string
}

// violation is one import a rule does not allow, or (imp == "") a package no rule governs.
type violation struct {
	file, imp string
	rule      *rule
}

func (v violation) String() string {
	if v.rule == nil {
		return fmt.Sprintf("%s: no rule governs its package: add one to test/arch/rules_test.go and .golangci.yml", v.file)
	}
	if why, ok := forbidden[v.imp]; ok {
		return fmt.Sprintf("%s imports %q: %s", v.file, v.imp, why)
	}
	return fmt.Sprintf("%s imports %q, which rule %q does not allow: %s", v.file, v.imp, v.rule.name, v.rule.why)
}

// report is what check found.
type report struct {
	violations []violation
	governed   map[string]int // rule name → Go files it governs
}

// check walks the module tree at root and finds every import that the rules governing its
// files do not allow. It parses import clauses only, whatever the build tags.
func check(root string, rules []rule) (report, error) {
	out := report{governed: map[string]int{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := path.Join(module, filepath.ToSlash(rel))
		r := governing(rules, pkg)
		if r == nil {
			out.violations = append(out.violations, violation{file: p})
			return nil
		}
		out.governed[r.name]++
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		isTest := strings.HasSuffix(p, "_test.go")
		for _, spec := range f.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			if !r.allows(pkg, imp, isTest) {
				out.violations = append(out.violations, violation{file: p, imp: imp, rule: r})
			}
		}
		return nil
	})
	return out, err
}

// skipDir leaves out what the go tool ignores too.
func skipDir(name string) bool {
	return name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// governing returns the rule with the most specific pattern matching pkg, or nil.
func governing(rules []rule, pkg string) *rule {
	var best *rule
	for i := range rules {
		if matches(rules[i].pkgs, pkg) && (best == nil || len(rules[i].pkgs) > len(best.pkgs)) {
			best = &rules[i]
		}
	}
	return best
}

func (r *rule) allows(pkg, imp string, isTest bool) bool {
	if _, ok := forbidden[imp]; ok || matchesAny(r.deny, imp) {
		return false
	}
	if matchesAny(r.allow, imp) {
		return true
	}
	return isTest && (imp == pkg || matchesAny(r.tests, imp))
}

func matchesAny(patterns []string, imp string) bool {
	for _, p := range patterns {
		if matches(p, imp) {
			return true
		}
	}
	return false
}

// matches reports whether an import path fits a pattern (see rules_test.go).
func matches(pattern, imp string) bool {
	switch pattern {
	case "$std":
		return isStd(imp)
	case "$external":
		return !isStd(imp) && !inModule(imp)
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return imp == base || strings.HasPrefix(imp, base+"/")
	}
	return imp == pattern
}

func inModule(imp string) bool { return imp == module || strings.HasPrefix(imp, module+"/") }

// isStd: standard library paths have no dot in their first element (and ours is not one).
func isStd(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".") && !inModule(imp)
}
