package memory

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.BlobStore = (*BlobStore)(nil)
	_ ports.Pinger    = (*BlobStore)(nil)
)

// BlobStore is an in-memory ports.BlobStore.
//
// Ranges follow HTTP/S3 semantics: an End at or beyond the blob's size is clamped to the
// last byte; a Start beyond the last byte (or Start > End, or Start < 0) is an error.
type BlobStore struct {
	mu    sync.RWMutex
	blobs map[string][]byte // never mutated after Put: readers share the slice
}

// NewBlobStore returns an empty store.
func NewBlobStore() *BlobStore {
	return &BlobStore{blobs: map[string][]byte{}}
}

// Ping always succeeds: there is no backing service.
func (s *BlobStore) Ping(context.Context) error { return nil }

// Put reads exactly p.Size bytes from p.Body and stores them under p.Key.
func (s *BlobStore) Put(ctx context.Context, p domain.BlobPut) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.Key == "" || p.Size < 0 {
		return fmt.Errorf("memory blobs: put needs a key and a size >= 0 (key %q, size %d)", p.Key, p.Size)
	}
	buf := make([]byte, p.Size)
	if _, err := io.ReadFull(p.Body, buf); err != nil {
		return fmt.Errorf("memory blobs: reading %d bytes for %s: %w", p.Size, p.Key, err)
	}
	s.mu.Lock()
	s.blobs[p.Key] = buf
	s.mu.Unlock()
	return nil
}

// Exists reports whether key holds bytes.
func (s *BlobStore) Exists(ctx context.Context, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.RLock()
	_, ok := s.blobs[key]
	s.mu.RUnlock()
	return ok, nil
}

// Open returns the bytes of key, or of the inclusive range rng (End clamped to the last byte).
func (s *BlobStore) Open(ctx context.Context, key string, rng *domain.ByteRange) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	b, ok := s.blobs[key]
	s.mu.RUnlock()
	if !ok {
		return nil, notFound("blob", key)
	}
	if rng != nil {
		size := int64(len(b))
		if rng.Start < 0 || rng.Start > rng.End || rng.Start >= size {
			return nil, fmt.Errorf("memory blobs: range %d-%d not satisfiable for %d bytes", rng.Start, rng.End, size)
		}
		b = b[rng.Start : min(rng.End, size-1)+1]
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}
