package minio_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/minio"
	"taskrunner/ports"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

func TestBlobStoreContract(t *testing.T) {
	t.Parallel()
	contract.BlobStore(t, func(t *testing.T) ports.BlobStore {
		s, err := minio.New(t.Context(), config(harness.S3(t)))
		require.NoError(t, err)
		return s
	})
}
