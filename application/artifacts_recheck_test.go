package application_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
)

// vanishingBlobs says a blob exists on the first look, as if the bytes were there when an
// upload checked and were freed (memory mode's retention) before its row was written.
type vanishingBlobs struct {
	*memory.BlobStore
	looks atomic.Int64
}

func (b *vanishingBlobs) Exists(ctx context.Context, key string) (bool, error) {
	if b.looks.Add(1) == 1 {
		return true, nil
	}
	return b.BlobStore.Exists(ctx, key)
}

func TestBytesFreedBeforeTheRowIsWrittenArePutAgain(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	blobs := &vanishingBlobs{BlobStore: memory.NewBlobStore()}
	svc, err := application.NewArtifactService(application.ArtifactDeps{Store: memory.NewArtifactStore(),
		Blobs: blobs, Tasks: memory.NewTaskStore(), Limiter: memory.NewRateLimiter(clock), Clock: clock,
		IDs: &domain.IDGenerator{}, Limits: domain.DefaultLimits(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	require.NoError(t, err)
	a, err := svc.Create(t.Context(), application.NewArtifact{Type: "log", ContentType: "text/plain", Data: []byte("hello")})
	require.NoError(t, err)
	_, got, err := svc.ReadAll(t.Context(), a.ID)
	require.NoError(t, err, "the row never points at missing bytes")
	require.Equal(t, "hello", string(got))
}
