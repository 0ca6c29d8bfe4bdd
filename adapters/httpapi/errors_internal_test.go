package httpapi

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// TestErrorCodesMatchTheDocument keeps the status table and the document's ErrorCode enum
// in step: every code the server can send is documented, and nothing else is.
func TestErrorCodesMatchTheDocument(t *testing.T) {
	t.Parallel()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(OpenAPIDocument(), &doc))
	documented := doc.Components.Schemas["ErrorCode"].Enum
	var served []string
	for code := range statusByCode {
		served = append(served, string(code))
	}
	slices.Sort(documented)
	slices.Sort(served)
	require.Equal(t, documented, served)

	taskCodes := doc.Components.Schemas["TaskErrorCode"].Enum
	for _, c := range []domain.Code{domain.CodeTaskRuntimeExceeded, domain.CodeTaskCancelled, domain.CodeProviderError,
		domain.CodeProviderNotConfigured, domain.CodeFetchFailed, domain.CodeFetchBlocked, domain.CodeFetchUnsupported,
		domain.CodeArtifactSizeExceeded, domain.CodeInternal} {
		require.Contains(t, taskCodes, string(c))
	}
}

// TestAPIMDStatuses pins the table to API.md.
func TestAPIMDStatuses(t *testing.T) {
	t.Parallel()
	for code, status := range map[domain.Code]int{
		domain.CodeInvalidRequest: 400, domain.CodeInvalidParams: 422, domain.CodeUnauthorized: 401,
		domain.CodeTaskNotFound: 404, domain.CodeArtifactNotFound: 404, domain.CodeTaskAlreadyFinished: 409,
		domain.CodeArtifactSizeExceeded: 413, domain.CodeRateLimitExceeded: 429, domain.CodeUnavailable: 503,
		domain.CodeInternal: 500,
	} {
		require.Equal(t, status, statusByCode[code], code)
	}
}
