// Package openapitest validates HTTP exchanges against taskrunner's OpenAPI document, so
// that handler tests and the end-to-end suite check every response (status, headers and
// JSON body) and every accepted request against the contract the server publishes.
package openapitest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"
)

// V validates exchanges against one OpenAPI document. It is safe for concurrent use.
type V struct {
	doc    *openapi3.T
	router routers.Router
}

// Validator loads and validates doc (an OpenAPI 3 document) and returns a V for it; it
// fails the test if the document is invalid.
func Validator(t testing.TB, doc []byte) *V {
	t.Helper()
	loader := openapi3.NewLoader()
	d, err := loader.LoadFromData(doc)
	require.NoError(t, err, "load OpenAPI document")
	require.NoError(t, d.Validate(context.Background()), "validate OpenAPI document")
	// Match on paths only: servers would tie the document to one host and port.
	d.Servers = nil
	r, err := legacy.NewRouter(d)
	require.NoError(t, err, "build router")
	return &V{doc: d, router: r}
}

// Check validates one exchange. The response is always checked: its status must be
// declared for the operation, its declared headers present and valid, its JSON body
// valid against the schema. The request is checked when the server accepted it (a 2xx or
// 304): a request the document calls invalid must not succeed. Requests the server
// rejected are expected to be invalid and are not checked. A path or method the document
// does not have must have been answered 404 or 405 with the Error body.
func (v *V) Check(t testing.TB, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	t.Helper()
	require.NotNil(t, req)
	require.NotNil(t, resp)
	if err := v.check(req, reqBody, resp, respBody); err != nil {
		t.Errorf("OpenAPI: %s %s -> %d: %v\nresponse body: %s", req.Method, req.URL.RequestURI(), resp.StatusCode, err, truncate(respBody))
	}
}

func (v *V) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	// The router needs a request whose body can be read again; work on a copy.
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	r.ContentLength = int64(len(reqBody))
	route, pathParams, err := v.router.FindRoute(r)
	if err != nil {
		return v.checkUnrouted(err, resp, respBody)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
		SkipSettingDefaults:   true,
	}
	reqIn := &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: route, Options: opts}
	if accepted(resp.StatusCode) {
		if err := openapi3filter.ValidateRequest(context.Background(), reqIn); err != nil {
			return errors.Join(errors.New("the server accepted a request the document calls invalid"), err)
		}
	}
	respOpts := *opts
	if !isJSON(resp.Header.Get("Content-Type")) {
		// Bytes of arbitrary media types (artifact downloads, /metrics) have no JSON schema
		// to check; their status and headers still are.
		respOpts.ExcludeResponseBody = true
	}
	reqIn.Options = &respOpts
	respIn := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &respOpts,
	}
	respIn.SetBodyBytes(respBody)
	return openapi3filter.ValidateResponse(context.Background(), respIn)
}

// CheckSchema validates a JSON document against one of the document's component schemas:
// for bodies no operation describes as JSON, such as the search artifacts, which
// GET /artifacts/{id} serves as bytes of their own content type.
func (v *V) CheckSchema(t testing.TB, name string, body []byte) {
	t.Helper()
	ref := v.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		t.Errorf("OpenAPI: the document has no schema %s", name)
		return
	}
	var doc any
	if err := decodeJSON(body, &doc); err != nil {
		t.Errorf("OpenAPI: %s: not JSON: %v\nbody: %s", name, err, truncate(body))
		return
	}
	if err := ref.Value.VisitJSON(doc, openapi3.MultiErrors()); err != nil {
		t.Errorf("OpenAPI: %s: %v\nbody: %s", name, err, truncate(body))
	}
}

// checkUnrouted accepts a route the document lacks only when the server refused it too.
func (v *V) checkUnrouted(routeErr error, resp *http.Response, respBody []byte) error {
	want := http.StatusNotFound
	var re *routers.RouteError
	if errors.As(routeErr, &re) && re.Reason == routers.ErrMethodNotAllowed.Error() {
		want = http.StatusMethodNotAllowed
	}
	if resp.StatusCode != want {
		return errors.Join(errors.New("the document has no such operation, yet the server answered"), routeErr)
	}
	errSchema := v.doc.Components.Schemas["Error"]
	if errSchema == nil || errSchema.Value == nil {
		return errors.New("document has no Error schema")
	}
	var body any
	if err := decodeJSON(respBody, &body); err != nil {
		return errors.Join(errors.New("error body is not JSON"), err)
	}
	return errSchema.Value.VisitJSON(body)
}

func accepted(status int) bool { return status/100 == 2 || status == http.StatusNotModified }

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

func truncate(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}
