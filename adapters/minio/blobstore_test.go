package minio_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	miniogo "github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"taskrunner/adapters/minio"
	"taskrunner/domain"
	"taskrunner/test/harness"
)

func setup(t *testing.T) (*minio.BlobStore, harness.S3Target) {
	t.Helper()
	target := harness.S3(t)
	s, err := minio.New(t.Context(), config(target))
	require.NoError(t, err)
	return s, target
}

func config(target harness.S3Target) minio.Config {
	return minio.Config{
		Endpoint:  target.Endpoint,
		AccessKey: target.AccessKey,
		SecretKey: target.SecretKey,
		Bucket:    target.Bucket,
		Secure:    target.Secure,
	}
}

func put(t *testing.T, s *minio.BlobStore, body []byte) string {
	t.Helper()
	sum := sha256.Sum256(body)
	key := domain.BlobKey(hex.EncodeToString(sum[:]))
	require.NoError(t, s.Put(t.Context(), domain.BlobPut{
		Key: key, Body: bytes.NewReader(body), Size: int64(len(body)), ContentType: "text/plain",
	}))
	return key
}

func readAll(t *testing.T, rc io.ReadCloser) []byte {
	t.Helper()
	defer func() { require.NoError(t, rc.Close()) }()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

func TestNewCreatesBucketOnce(t *testing.T) {
	t.Parallel()
	target := harness.S3(t)
	client, err := miniogo.New(target.Endpoint, &miniogo.Options{
		Creds: credentials.NewStaticV4(target.AccessKey, target.SecretKey, ""), Secure: target.Secure,
	})
	require.NoError(t, err)
	exists, err := client.BucketExists(t.Context(), target.Bucket)
	require.NoError(t, err)
	require.False(t, exists)

	_, err = minio.New(t.Context(), config(target))
	require.NoError(t, err)
	exists, err = client.BucketExists(t.Context(), target.Bucket)
	require.NoError(t, err)
	require.True(t, exists, "New creates the bucket")

	s, err := minio.New(t.Context(), config(target)) // a second process starting up
	require.NoError(t, err)
	require.NoError(t, s.Ping(t.Context()))
}

func TestPutOpenRoundTrip(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	body := []byte("hello, blobs")
	key := put(t, s, body)

	ok, err := s.Exists(t.Context(), key)
	require.NoError(t, err)
	require.True(t, ok)
	rc, err := s.Open(t.Context(), key, nil)
	require.NoError(t, err)
	require.Equal(t, body, readAll(t, rc))

	rc, err = s.Open(t.Context(), key, &domain.ByteRange{Start: 7, End: 11})
	require.NoError(t, err)
	require.Equal(t, []byte("blobs"), readAll(t, rc))

	put(t, s, body) // content addresses: putting again is harmless
}

func TestMissingKey(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ok, err := s.Exists(t.Context(), "sha256/00/missing")
	require.NoError(t, err)
	require.False(t, ok)
	_, err = s.Open(t.Context(), "sha256/00/missing", nil)
	require.ErrorIs(t, err, domain.ErrNotFound, "Open reports a missing key before the first Read")
	_, err = s.Open(t.Context(), "sha256/00/missing", &domain.ByteRange{Start: 0, End: 3})
	require.ErrorIs(t, err, domain.ErrNotFound)
}

// TestLargeObjectStreams stores an object above minio-go's single-request limit, so the
// upload goes in parts, and reads it back in a streaming fashion.
func TestLargeObjectStreams(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	body := make([]byte, 17<<20)
	_, _ = rand.Read(body)
	key := put(t, s, body)

	rc, err := s.Open(t.Context(), key, nil)
	require.NoError(t, err)
	h := sha256.New()
	n, err := io.Copy(h, rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	require.Equal(t, int64(len(body)), n)
	want := sha256.Sum256(body)
	require.Equal(t, want[:], h.Sum(nil))

	rc, err = s.Open(t.Context(), key, &domain.ByteRange{Start: 16 << 20, End: 16<<20 + 9})
	require.NoError(t, err)
	require.Equal(t, body[16<<20:16<<20+10], readAll(t, rc))
}

func TestUnreachableEndpointIsUnavailable(t *testing.T) {
	t.Parallel()
	addr := harness.RefusedAddr(t)

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	_, err := minio.New(ctx, minio.Config{Endpoint: addr, AccessKey: "a", SecretKey: "b", Bucket: "x"})
	require.ErrorIs(t, err, domain.ErrUnavailable)
	require.Equal(t, domain.CodeUnavailable, domain.CodeOf(err))
}

func TestPingFailsWhenBucketVanishes(t *testing.T) {
	t.Parallel()
	s, target := setup(t)
	require.NoError(t, s.Ping(t.Context()))
	client, err := miniogo.New(target.Endpoint, &miniogo.Options{
		Creds: credentials.NewStaticV4(target.AccessKey, target.SecretKey, ""), Secure: target.Secure,
	})
	require.NoError(t, err)
	require.NoError(t, client.RemoveBucket(t.Context(), target.Bucket))
	require.ErrorIs(t, s.Ping(t.Context()), domain.ErrUnavailable)
}

// NewLazy does no I/O, so a process assembles without the endpoint; EnsureBucket, run at
// start, is what finds it unreachable.
func TestNewLazyWaitsForEnsureBucket(t *testing.T) {
	t.Parallel()
	addr := harness.RefusedAddr(t)

	s, err := minio.NewLazy(minio.Config{Endpoint: addr, AccessKey: "a", SecretKey: "b", Bucket: "x"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	require.ErrorIs(t, s.EnsureBucket(ctx), domain.ErrUnavailable)
	_, err = minio.NewLazy(minio.Config{Endpoint: addr})
	require.Error(t, err, "a bucket is required")
}
