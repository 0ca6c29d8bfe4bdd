package contract

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// BlobStore is the contract of ports.BlobStore. The store may be shared with other tests
// (keys are content addresses of random bytes). A range whose End is at or past the last
// byte is clamped to the blob's end.
func BlobStore(t *testing.T, newStore func(t *testing.T) ports.BlobStore) {
	t.Helper()
	runSuite(t, newStore, []suiteCase[ports.BlobStore]{
		{"Put", "RoundTrips", blobRoundTrip},
		{"Put", "LargeBlob", blobLarge},
		{"Put", "EmptyBlob", blobEmpty},
		{"Put", "SameKeyTwice", blobPutTwice},
		{"Exists", "MissingIsFalse", blobExistsMissing},
		{"Open", "MissingIsNotFound", blobOpenMissing},
		{"Open", "Ranges", blobRanges},
		{"Open", "RangeOfLargeBlob", blobLargeRange},
		{"Delete", "RemovesOnlyThatKey", blobDelete},
		{"Delete", "MissingIsNotAnError", blobDeleteMissing},
	})
}

// randomBlob returns n random bytes and their content address.
func randomBlob(n int) ([]byte, string) {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	sum := sha256.Sum256(b)
	return b, domain.BlobKey(hex.EncodeToString(sum[:]))
}

func putBlob(t *testing.T, s ports.BlobStore, key string, b []byte) {
	t.Helper()
	require.NoError(t, s.Put(t.Context(), domain.BlobPut{
		Key: key, Body: bytes.NewReader(b), Size: int64(len(b)), ContentType: "application/octet-stream",
	}), "Put")
}

func readBlob(t *testing.T, s ports.BlobStore, key string, rng *domain.ByteRange) []byte {
	t.Helper()
	rc, err := s.Open(t.Context(), key, rng)
	require.NoError(t, err, "Open %v", rng)
	defer func() { require.NoError(t, rc.Close()) }()
	got, err := io.ReadAll(rc)
	require.NoError(t, err, "reading %v", rng)
	return got
}

func requireExists(t *testing.T, s ports.BlobStore, key string, want bool) {
	t.Helper()
	ok, err := s.Exists(t.Context(), key)
	require.NoError(t, err)
	require.Equal(t, want, ok, "Exists(%s)", key)
}

func requireSameBytes(t *testing.T, want, got []byte, what string) {
	t.Helper()
	require.Equal(t, len(want), len(got), "%s: length", what)
	require.True(t, bytes.Equal(want, got), "%s: bytes differ", what)
}

func blobRoundTrip(t *testing.T, s ports.BlobStore) {
	b, key := randomBlob(1000)
	requireExists(t, s, key, false)
	putBlob(t, s, key, b)
	requireExists(t, s, key, true)
	requireSameBytes(t, b, readBlob(t, s, key, nil), "whole blob")
}

func blobLarge(t *testing.T, s ports.BlobStore) {
	b, key := randomBlob(5<<20 + 3)
	putBlob(t, s, key, b)
	requireSameBytes(t, b, readBlob(t, s, key, nil), "5 MiB blob")
}

func blobEmpty(t *testing.T, s ports.BlobStore) {
	b, key := randomBlob(0)
	key += "-" + randomHex(4) // every empty blob has the same sha256; keep ours apart
	putBlob(t, s, key, b)
	requireExists(t, s, key, true)
	require.Empty(t, readBlob(t, s, key, nil))
}

func blobPutTwice(t *testing.T, s ports.BlobStore) {
	b, key := randomBlob(100)
	putBlob(t, s, key, b)
	putBlob(t, s, key, b)
	requireSameBytes(t, b, readBlob(t, s, key, nil), "after the second Put")
}

func blobExistsMissing(t *testing.T, s ports.BlobStore) {
	_, key := randomBlob(10)
	requireExists(t, s, key, false)
}

func blobOpenMissing(t *testing.T, s ports.BlobStore) {
	_, key := randomBlob(10)
	_, err := s.Open(t.Context(), key, nil)
	require.ErrorIs(t, err, domain.ErrNotFound)
	_, err = s.Open(t.Context(), key, &domain.ByteRange{Start: 0, End: 5})
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func blobRanges(t *testing.T, s ports.BlobStore) {
	const size = 1000
	b, key := randomBlob(size)
	putBlob(t, s, key, b)
	for _, r := range []domain.ByteRange{
		{Start: 0, End: 0},
		{Start: 10, End: 19},
		{Start: size - 1, End: size - 1},
		{Start: 0, End: size - 1},
		{Start: 500, End: size - 1},
	} {
		got := readBlob(t, s, key, &r)
		require.Equal(t, r.Len(), int64(len(got)), "range %+v length", r)
		requireSameBytes(t, b[r.Start:r.End+1], got, "range")
	}
	// End past the blob is clamped to its last byte.
	for _, r := range []domain.ByteRange{{Start: size - 10, End: size + 100}, {Start: 0, End: size}} {
		requireSameBytes(t, b[r.Start:], readBlob(t, s, key, &r), "clamped range")
	}
}

func blobLargeRange(t *testing.T, s ports.BlobStore) {
	b, key := randomBlob(3 << 20)
	putBlob(t, s, key, b)
	r := domain.ByteRange{Start: 1 << 20, End: 2<<20 - 1}
	requireSameBytes(t, b[r.Start:r.End+1], readBlob(t, s, key, &r), "1 MiB range")
}

func blobDelete(t *testing.T, s ports.BlobStore) {
	b, key := randomBlob(100)
	other, otherKey := randomBlob(100)
	putBlob(t, s, key, b)
	putBlob(t, s, otherKey, other)
	require.NoError(t, s.Delete(t.Context(), key), "Delete")
	requireExists(t, s, key, false)
	_, err := s.Open(t.Context(), key, nil)
	require.ErrorIs(t, err, domain.ErrNotFound)
	requireSameBytes(t, other, readBlob(t, s, otherKey, nil), "the other blob")
	putBlob(t, s, key, b) // a deleted key can be put again
	requireSameBytes(t, b, readBlob(t, s, key, nil), "put again")
}

func blobDeleteMissing(t *testing.T, s ports.BlobStore) {
	_, key := randomBlob(10)
	require.NoError(t, s.Delete(t.Context(), key), "Delete of a missing key")
	require.NoError(t, s.Delete(t.Context(), key), "and again")
}
