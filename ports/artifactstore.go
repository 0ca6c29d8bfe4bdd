package ports

import (
	"context"

	"taskrunner/domain"
)

// ArtifactStore keeps artifact metadata.
type ArtifactStore interface {
	// Create stores the metadata; the id must be new.
	Create(ctx context.Context, a domain.Artifact) error
	// Get returns the artifact, or an error matching domain.ErrNotFound.
	Get(ctx context.Context, id string) (domain.Artifact, error)
	// ListByTask returns the task's artifacts, oldest first; empty (not an error) when none.
	ListByTask(ctx context.Context, taskID string) ([]domain.Artifact, error)
}
