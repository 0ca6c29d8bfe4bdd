package application

import (
	"context"

	"taskrunner/domain"
)

// Ways an artifact is refused for its size, logged as artifact_rejected's "via".
const (
	viaData        = "data"         // Create: the decoded bytes are over the limit
	viaRequestBody = "request_body" // the HTTP request carrying the upload is over its limit
	viaFetch       = "fetch"        // a fetched page is over the limit before it is stored
)

// oversize is an artifact refused for its size, as artifact_rejected records it.
type oversize struct {
	taskID, typ string
	size        int64 // bytes; a lower bound when partial
	partial     bool  // the size is only how far reading got before the limit was passed
	limit       int64
	via         string
}

// logRejected writes artifact_rejected, the one event of every artifact refused for its
// size, whichever way it was refused.
func (s *ArtifactService) logRejected(ctx context.Context, o oversize) {
	s.deps.Log.WarnContext(ctx, "artifact_rejected", "task_id", o.taskID, "type", o.typ,
		"size_bytes", o.size, "size_partial", o.partial, "limit_bytes", o.limit, "via", o.via)
}

// AllowUpload counts one artifact upload by client against TASKS_PER_MINUTE, in a bucket
// of its own (uploads do not use up the client's task submissions, nor the reverse). The
// HTTP adapter calls it before it reads the upload's body, so a client over its limit
// costs no body read; an upload that then fails validation has still used its slot.
func (s *ArtifactService) AllowUpload(ctx context.Context, client string) error {
	return takeSlot(ctx, s.deps.Limiter, "artifact:"+client, "artifact uploads", s.deps.Limits.TasksPerMinute)
}

// RejectUploadBody refuses an upload whose request body is over the HTTP body limit
// (limit bytes) before it is read, or read whole: size is the declared length, or with
// partial how much was read when the limit was passed. It logs artifact_rejected and
// returns artifact_size_exceeded.
func (s *ArtifactService) RejectUploadBody(ctx context.Context, size, limit int64, partial bool) error {
	s.logRejected(ctx, oversize{size: size, partial: partial, limit: limit, via: viaRequestBody})
	more := ""
	if partial {
		more = "more than "
	}
	return domain.NewError(domain.CodeArtifactSizeExceeded, "the request body is %s%d bytes; the limit is %d bytes "+
		"(the base64 of TASK_MAX_ARTIFACT_MB plus room for the JSON)", more, size, limit).
		WithDetail("limit_bytes", limit)
}
