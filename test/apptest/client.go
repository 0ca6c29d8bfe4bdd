package apptest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
	"taskrunner/bootstrap"
	"taskrunner/test/openapitest"
)

// Client talks to one API server and checks every exchange against the OpenAPI document.
type Client struct {
	// URL is the server's origin, e.g. http://127.0.0.1:41234.
	URL string
	// Token is sent as a bearer token; "" sends none.
	Token string
	// HTTP sends the requests; tests may replace it before use.
	HTTP *http.Client
	// OpenAPI checks the exchanges; tests use it for bodies no operation describes.
	OpenAPI *openapitest.V
}

// NewClient returns a client of srv that sends c's first API token, if any.
func NewClient(t testing.TB, srv *httpapi.Server, c bootstrap.Config) *Client {
	t.Helper()
	cl := &Client{
		URL: "http://" + srv.Addr(),
		// A generous Expect: 100-continue wait: tests send bodies the server may refuse
		// unread, and a loaded machine answers slowly.
		HTTP:    &http.Client{Timeout: lifecycleLimit, Transport: &http.Transport{ExpectContinueTimeout: 5 * time.Second}},
		OpenAPI: openapitest.Validator(t, httpapi.OpenAPIDocument()),
	}
	if len(c.APITokens) > 0 {
		cl.Token = c.APITokens[0]
	}
	return cl
}

// Do sends a request with body (nil for none) and the header pairs (name, value; an empty
// value removes the header), checks the exchange against the OpenAPI document and returns
// the answer. A transport error is returned, not fatal, and a contract violation is
// reported with t.Errorf, so Do may be called from goroutines other than the test's.
func (c *Client) Do(t testing.TB, method, path string, body []byte, header ...string) (int, []byte, http.Header, error) {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.URL+path, r)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	openapitest.SetHeaders(req.Header, header...)
	sent := req.Clone(context.Background()) // Do consumes req
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	c.OpenAPI.Check(t, sent, body, resp, respBody)
	return resp.StatusCode, respBody, resp.Header, nil
}

// Call is Do for the test's own goroutine: body may be nil, a string, bytes or a value
// sent as JSON, and a transport error fails the test.
func (c *Client) Call(t testing.TB, method, path string, body any, header ...string) (int, []byte, http.Header) {
	t.Helper()
	status, respBody, h, err := c.Do(t, method, path, openapitest.Body(t, body), header...)
	require.NoError(t, err)
	return status, respBody, h
}
