package openapitest_test

import (
	"net/http"
	"testing"

	"taskrunner/test/openapitest"

	"github.com/stretchr/testify/require"
)

func TestBody(t *testing.T) {
	t.Parallel()
	require.Nil(t, openapitest.Body(t, nil))
	require.Equal(t, []byte(`{"a":`), openapitest.Body(t, `{"a":`), "a string is sent as it is, broken or not")
	require.Equal(t, []byte("raw"), openapitest.Body(t, []byte("raw")))
	require.JSONEq(t, `{"type":"echo"}`, string(openapitest.Body(t, map[string]string{"type": "echo"})))
}

func TestSetHeaders(t *testing.T) {
	t.Parallel()
	h := http.Header{"Authorization": {"Bearer x"}}
	openapitest.SetHeaders(h, "X-Request-ID", "r1", "Authorization", "", "odd")
	require.Equal(t, "r1", h.Get("X-Request-ID"))
	require.Empty(t, h.Values("Authorization"), "an empty value removes the header")
	require.Len(t, h, 1, "a name without a value is ignored")
}
