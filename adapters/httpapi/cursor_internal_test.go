package httpapi

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// The cursor's wire format is pinned: clients hold cursors across server upgrades.
func TestCursorFormat(t *testing.T) {
	t.Parallel()
	const id = "0194a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
	const issued = "MDE5NGExYjItYzNkNC03ZTVmLThhOWItMGMxZDJlM2Y0YTVi"
	require.Equal(t, issued, encodeCursor(id))
	got, err := decodeCursor(issued)
	require.NoError(t, err)
	require.Equal(t, id, got)

	for _, bad := range []string{"!!", "bm90LWFuLWlk", encodeCursor(" " + id), issued + "=="} {
		_, err := decodeCursor(bad)
		var de *domain.Error
		require.ErrorAs(t, err, &de, bad)
		require.Equal(t, domain.CodeInvalidRequest, de.Code, bad)
		require.Equal(t, "cursor", de.Details["field"], bad)
	}
}
