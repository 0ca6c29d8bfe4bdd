package httpapi

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// TestEveryErrorCodeIsDocumented walks every code the project defines (each constant of
// type domain.Code in package domain, and the HTTP adapter's own) and checks that the
// README and the OpenAPI document list it where a client looks for it: a code an answer
// can carry (the status table has it) in the README's error table and the ErrorCode enum;
// a code only failed tasks carry in the README's list of task error codes and the
// TaskErrorCode enum. A code added anywhere without its documentation fails here, naming
// the code and the place to add it.
func TestEveryErrorCodeIsDocumented(t *testing.T) {
	t.Parallel()
	defined := domainCodes(t)
	for code := range statusByCode {
		if !slices.Contains(defined, code) {
			defined = append(defined, code)
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	table := readmeErrorTable(t, string(readme))
	taskList := readmeTaskCodes(t, string(readme))
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(OpenAPIDocument(), &doc))
	answerEnum, taskEnum := doc.Components.Schemas["ErrorCode"].Enum, doc.Components.Schemas["TaskErrorCode"].Enum

	for _, code := range defined {
		c := string(code)
		if status, answered := statusByCode[code]; answered {
			require.Contains(t, table, c, "README.md: the error table (| code | HTTP |) lacks `%s` (HTTP %d)", c, status)
			require.Contains(t, table[c], strconv.Itoa(status), "README.md: the error table gives `%s` another status than %d", c, status)
			require.Contains(t, answerEnum, c, "openapi.json: components.schemas.ErrorCode.enum lacks %q", c)
			continue
		}
		require.Contains(t, taskList, c, "README.md: the list of task error codes (\"Failed tasks carry ...\") lacks `%s`", c)
		require.Contains(t, taskEnum, c, "openapi.json: components.schemas.TaskErrorCode.enum lacks %q", c)
	}
	for c := range table {
		_, answered := statusByCode[domain.Code(c)]
		require.True(t, answered, "README.md: the error table lists `%s`, which no answer carries", c)
	}
}

// domainCodes parses package domain for its constants of type Code: the list grows with
// each feature, in whatever file it lands.
func domainCodes(t *testing.T) []domain.Code {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "domain", "*.go"))
	require.NoError(t, err)
	var codes []domain.Code
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		ast.Inspect(file, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			if typ, ok := spec.Type.(*ast.Ident); !ok || typ.Name != "Code" {
				return true
			}
			for _, v := range spec.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					codes = append(codes, domain.Code(s))
				}
			}
			return true
		})
	}
	require.Contains(t, codes, domain.CodeInvalidRequest, "the parse found the codes of domain/errors.go")
	return codes
}

var backticked = regexp.MustCompile("`([a-z_]+)`")

// readmeErrorTable maps each code of the README's error table to the rest of its row.
func readmeErrorTable(t *testing.T, readme string) map[string]string {
	t.Helper()
	_, after, found := strings.Cut(readme, "| code | HTTP |\n|---|---|\n")
	require.True(t, found, "README.md has no error table (| code | HTTP |)")
	rows := map[string]string{}
	for _, line := range strings.Split(after, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.SplitN(strings.Trim(line, "|"), "|", 2)
		require.Len(t, cells, 2, "README.md error table row %q", line)
		for _, m := range backticked.FindAllStringSubmatch(cells[0], -1) {
			rows[m[1]] = cells[1]
		}
	}
	return rows
}

// readmeTaskCodes is the codes of the README's sentence listing the task error codes.
func readmeTaskCodes(t *testing.T, readme string) []string {
	t.Helper()
	_, after, found := strings.Cut(readme, "Failed tasks carry ")
	require.True(t, found, "README.md has no list of task error codes (\"Failed tasks carry ...\")")
	paragraph, _, _ := strings.Cut(after, "\n\n")
	var codes []string
	for _, m := range backticked.FindAllStringSubmatch(paragraph, -1) {
		codes = append(codes, m[1])
	}
	return codes
}
