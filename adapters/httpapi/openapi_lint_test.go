package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

// TestOpenAPIDocumentPassesLint holds the document to kin-openapi's validation with its
// optional checks on (formats, patterns, defaults and examples against their schemas, no
// extensions beside $ref) and to the rules of Redocly's "recommended" set that matter for
// this document (named after them). Every finding is reported at once, each with where it
// is and what to do, so an endpoint merged in from another branch is fixed in one pass.
func TestOpenAPIDocumentPassesLint(t *testing.T) {
	t.Parallel()
	raw := httpapi.OpenAPIDocument()
	loader := openapi3.NewLoader()
	loaded, err := loader.LoadFromData(raw)
	require.NoError(t, err, "openapi.json does not load (bad JSON or a $ref to nothing)")
	// Format checking is the linter's own (knownFormats): kin-openapi's needs formats
	// registered in a global map, which tests running in parallel must not write.
	require.NoError(t, loaded.Validate(context.Background(), openapi3.EnableSchemaPatternValidation(),
		openapi3.EnableSchemaDefaultsValidation(), openapi3.EnableExamplesValidation(),
		openapi3.ProhibitExtensionsWithRef(), openapi3.EnableMultiError()),
		"openapi.json fails kin-openapi's validation")

	if findings := lint(t, raw); len(findings) > 0 {
		t.Errorf("openapi.json: %d lint finding(s):\n  %s", len(findings), strings.Join(findings, "\n  "))
	}
}

// TestOpenAPILintFindsMistakes proves each rule of lint fires on a document that breaks it.
func TestOpenAPILintFindsMistakes(t *testing.T) {
	t.Parallel()
	broken := `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"},
	  "servers": [{"url": "https://api.example.com/"}],
	  "tags": [{"name": "t"}],
	  "paths": {"/a/{id}/": {"get": {"operationId": "a b", "tags": ["u"], "parameters": [{"name": "x", "in": "path", "required": true, "schema": {"type": "string"}}],
	    "responses": {"500": {"description": "no", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/U"}}}}}}}},
	  "components": {"schemas": {
	    "Unused": {"type": "string", "format": "uuuid", "enum": [1], "properties": {"n": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/C"}]}}},
	    "A": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["a"]}}},
	    "B": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["b"]}}},
	    "U": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
	          "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A", "c": "#/components/schemas/C"}}},
	    "C": {"type": "object"}}}}`
	got := strings.Join(lint(t, []byte(broken)), "\n")
	for _, rule := range []string{"no-server-trailing-slash", "no-server-example.com", "tag-description", "operation-operationId-url-safe",
		"operation-summary", "operation-tag-defined", "operation-2xx-response", "operation-4xx-response", "path-parameters-defined",
		"no-path-trailing-slash", "no-unused-components] components.schemas.Unused", "known-format", "no-enum-type-mismatch",
		"nullable-type-sibling",
		"discriminator] components.schemas.U: oneOf member #/components/schemas/B has no entry",
		"discriminator] components.schemas.U: mapping \"c\""} {
		require.Contains(t, got, "["+rule, "the linter misses %s in:\n%s", rule, got)
	}
}

// lint applies the rules below to a document and returns the findings, sorted.
func lint(t *testing.T, raw []byte) []string {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	l := &linter{doc: doc}
	l.servers()
	l.tags()
	l.operations()
	l.unusedComponents(string(raw))
	l.discriminators()
	l.enums(doc, "#")
	sort.Strings(l.findings)
	return l.findings
}

// knownFormats are the string and number formats of OpenAPI 3.0 plus those every common
// tool knows (uuid, uri, email); anything else is most likely a typo.
var knownFormats = []string{"date-time", "date", "byte", "binary", "password", "int32", "int64", "float", "double",
	"uuid", "uri", "email"}

// noFourXX are the operations that answer no 4xx on purpose: public, no input.
// GET /docs and GET /ui are HTML pages: /docs is public and /ui answers a missing or
// wrong login with its login form, not with a 4xx.
var noFourXX = map[string]bool{"GET /health": true, "GET /openapi.json": true, "GET /docs": true, "GET /ui": true}

type linter struct {
	doc      map[string]any
	findings []string
}

func (l *linter) add(rule, where, format string, args ...any) {
	l.findings = append(l.findings, fmt.Sprintf("[%s] %s: %s", rule, where, fmt.Sprintf(format, args...)))
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }
func str(v any) string         { s, _ := v.(string); return s }

// servers: no-empty-servers, no-server-trailing-slash, no-server-example.com.
func (l *linter) servers() {
	servers := arr(l.doc["servers"])
	if len(servers) == 0 {
		l.add("no-empty-servers", "servers", "add at least one server entry")
	}
	for i, s := range servers {
		u := str(obj(s)["url"])
		if strings.HasSuffix(u, "/") {
			l.add("no-server-trailing-slash", fmt.Sprintf("servers[%d]", i), "url %q ends with a slash", u)
		}
		if p, err := url.Parse(u); err == nil && strings.HasSuffix(p.Hostname(), "example.com") {
			l.add("no-server-example.com", fmt.Sprintf("servers[%d]", i), "url %q is a placeholder", u)
		}
	}
}

// tags: tag-description.
func (l *linter) tags() {
	for _, tag := range arr(l.doc["tags"]) {
		if str(obj(tag)["description"]) == "" {
			l.add("tag-description", "tags."+str(obj(tag)["name"]), "give the tag a description")
		}
	}
}

var urlSafe = regexp.MustCompile(`^[A-Za-z0-9_.~-]+$`)
var pathParam = regexp.MustCompile(`\{([^}]+)\}`)
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations: operation-operationId(-unique, -url-safe), operation-summary,
// operation-tag-defined, operation-2xx-response, operation-4xx-response,
// operation-parameters-unique, path-parameters-defined, no-path-trailing-slash,
// path-not-include-query.
func (l *linter) operations() {
	declaredTags := map[string]bool{}
	for _, tag := range arr(l.doc["tags"]) {
		declaredTags[str(obj(tag)["name"])] = true
	}
	ids := map[string]string{}
	for path, rawItem := range obj(l.doc["paths"]) {
		item := obj(rawItem)
		if path != "/" && strings.HasSuffix(path, "/") {
			l.add("no-path-trailing-slash", path, "drop the trailing slash")
		}
		if strings.Contains(path, "?") {
			l.add("path-not-include-query", path, "declare query parameters as parameters")
		}
		for _, m := range methods {
			op := obj(item[m])
			if op == nil {
				continue
			}
			where := strings.ToUpper(m) + " " + path
			id := str(op["operationId"])
			switch {
			case id == "":
				l.add("operation-operationId", where, "add an operationId")
			case ids[id] != "":
				l.add("operation-operationId-unique", where, "operationId %q is also used by %s", id, ids[id])
			case !urlSafe.MatchString(id):
				l.add("operation-operationId-url-safe", where, "operationId %q has characters that are not URL-safe", id)
			}
			ids[id] = where
			if str(op["summary"]) == "" {
				l.add("operation-summary", where, "add a summary")
			}
			if len(arr(op["tags"])) == 0 {
				l.add("operation-tag-defined", where, "give the operation a tag")
			}
			for _, tag := range arr(op["tags"]) {
				if !declaredTags[str(tag)] {
					l.add("operation-tag-defined", where, "tag %q is not in the top-level tags", str(tag))
				}
			}
			l.responses(where, obj(op["responses"]))
			l.parameters(where, path, append(slices.Clone(arr(item["parameters"])), arr(op["parameters"])...))
		}
	}
}

func (l *linter) responses(where string, responses map[string]any) {
	var ok2xx, has4xx bool
	for code := range responses {
		ok2xx = ok2xx || strings.HasPrefix(code, "2")
		has4xx = has4xx || strings.HasPrefix(code, "4")
	}
	if !ok2xx {
		l.add("operation-2xx-response", where, "declare a 2xx response")
	}
	if !has4xx && !noFourXX[where] {
		l.add("operation-4xx-response", where, "declare the 4xx responses it can send (or list it in noFourXX with the reason)")
	}
}

func (l *linter) parameters(where, path string, params []any) {
	seen := map[string]bool{}
	inPath := map[string]bool{}
	for _, p := range params {
		p = l.resolve(p)
		name, in := str(obj(p)["name"]), str(obj(p)["in"])
		if seen[in+":"+name] {
			l.add("operation-parameters-unique", where, "%s parameter %q is declared twice", in, name)
		}
		seen[in+":"+name] = true
		if in == "path" {
			inPath[name] = true
			if !strings.Contains(path, "{"+name+"}") {
				l.add("path-parameters-defined", where, "path parameter %q is not in the path", name)
			}
		}
	}
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		if !inPath[m[1]] {
			l.add("path-parameters-defined", where, "declare the path parameter %q", m[1])
		}
	}
}

// resolve follows a local $ref (#/components/...) one level.
func (l *linter) resolve(v any) any {
	ref := str(obj(v)["$ref"])
	if ref == "" {
		return v
	}
	var cur any = l.doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		cur = obj(cur)[part]
	}
	return cur
}

// unusedComponents: no-unused-components. Security schemes are used by name.
func (l *linter) unusedComponents(raw string) {
	required := map[string]bool{} // security schemes named by a requirement
	requirements := arr(l.doc["security"])
	for _, item := range obj(l.doc["paths"]) {
		for _, m := range methods {
			requirements = append(requirements, arr(obj(obj(item)[m])["security"])...)
		}
	}
	for _, req := range requirements {
		for name := range obj(req) {
			required[name] = true
		}
	}
	comps := obj(l.doc["components"])
	for kind, items := range comps {
		for name := range obj(items) {
			if kind == "securitySchemes" && required[name] {
				continue
			}
			if !strings.Contains(raw, `"#/components/`+kind+`/`+name+`"`) {
				l.add("no-unused-components", "components."+kind+"."+name, "nothing refers to it: use it or remove it")
			}
		}
	}
}

// discriminators: each oneOf with a discriminator maps every member, and each member
// pins the property to its mapping value (required, a one-value enum), directly or in an
// allOf part, so a validator and a code generator pick the same schema.
func (l *linter) discriminators() {
	for name, rawSchema := range obj(obj(l.doc["components"])["schemas"]) {
		s := obj(rawSchema)
		disc := obj(s["discriminator"])
		if disc == nil {
			continue
		}
		where := "components.schemas." + name
		prop := str(disc["propertyName"])
		mapped := map[string]string{}
		for value, target := range obj(disc["mapping"]) {
			mapped[str(target)] = value
		}
		for _, member := range arr(s["oneOf"]) {
			ref := str(obj(member)["$ref"])
			value, ok := mapped[ref]
			if !ok {
				l.add("discriminator", where, "oneOf member %s has no entry in discriminator.mapping", ref)
				continue
			}
			if !l.pins(l.resolve(member), prop, value) {
				l.add("discriminator", where, "%s does not require %s with the single enum value %q", ref, prop, value)
			}
			delete(mapped, ref)
		}
		for ref, value := range mapped {
			l.add("discriminator", where, "mapping %q -> %s is not a oneOf member", value, ref)
		}
	}
}

func (l *linter) pins(schema any, prop, value string) bool {
	s := obj(schema)
	if slices.Contains(arr(s["required"]), any(prop)) {
		enum := arr(obj(l.resolve(obj(s["properties"])[prop]))["enum"])
		if len(enum) == 1 && str(enum[0]) == value {
			return true
		}
	}
	for _, part := range arr(s["allOf"]) {
		if l.pins(l.resolve(part), prop, value) {
			return true
		}
	}
	return false
}

// enums: no-enum-type-mismatch, nullable-type-sibling and known-format, walking every
// schema.
func (l *linter) enums(v any, where string) {
	switch x := v.(type) {
	case map[string]any:
		if x["nullable"] == true && str(x["type"]) == "" {
			l.add("nullable-type-sibling", where, "nullable needs a type beside it (for a nullable $ref, make the referenced schema nullable)")
		}
		if f, ok := x["format"].(string); ok && !slices.Contains(knownFormats, f) {
			l.add("known-format", where, "format %q is not one tools know (%s)", f, strings.Join(knownFormats, ", "))
		}
		if typ, enum := str(x["type"]), arr(x["enum"]); typ != "" && enum != nil {
			for _, e := range enum {
				if !enumFits(typ, e) && (e != nil || x["nullable"] != true) {
					l.add("no-enum-type-mismatch", where, "enum value %v is not of type %s", e, typ)
				}
			}
		}
		for k, child := range x {
			l.enums(child, where+"/"+k)
		}
	case []any:
		for i, child := range x {
			l.enums(child, fmt.Sprintf("%s/%d", where, i))
		}
	}
}

func enumFits(typ string, v any) bool {
	switch v.(type) {
	case string:
		return typ == "string"
	case float64:
		return typ == "number" || typ == "integer"
	case bool:
		return typ == "boolean"
	}
	return false
}
