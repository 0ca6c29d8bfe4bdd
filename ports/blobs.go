package ports

import (
	"context"
	"io"

	"taskrunner/domain"
)

// BlobStore keeps artifact bytes under content addresses (domain.BlobKey).
type BlobStore interface {
	// Put stores p.Size bytes read from p.Body under p.Key. Putting a key that exists
	// replaces it with the same bytes (callers only put content addresses).
	Put(ctx context.Context, p domain.BlobPut) error
	// Exists reports whether the key holds bytes.
	Exists(ctx context.Context, key string) (bool, error)
	// Open streams the bytes of key, or of the inclusive range when rng is non-nil. It
	// returns an error matching domain.ErrNotFound when the key is absent. The caller closes.
	Open(ctx context.Context, key string, rng *domain.ByteRange) (io.ReadCloser, error)
	// Delete removes the bytes of key; deleting a key that holds nothing is not an error.
	// Only retention calls it, for a blob no artifact references (see RetentionStore).
	Delete(ctx context.Context, key string) error
}
