package domain

import (
	"encoding/json"
	"io"
	"time"
)

// Artifact types written by tasks.
const (
	ArtifactSearchResults      = "search_results"
	ArtifactSearchBatchResults = "search_batch_results"
	ArtifactFetchText          = "fetch_text"
	ArtifactFetchHTML          = "fetch_html"
	ArtifactResearchRanking    = "research_ranking"
	ArtifactResearchReport     = "research_report"
	ArtifactResearchReportMD   = "research_report_md"
)

// Artifact is the metadata of stored bytes. The bytes live in the blob store under
// BlobKey(SHA256), so identical content is stored once however many artifacts point at it.
type Artifact struct {
	ID          string
	TaskID      string // "" when not attached to a task
	Type        string
	ContentType string
	SizeBytes   int64
	SHA256      string // lower-case hex
	CreatedAt   time.Time
	Metadata    json.RawMessage // a JSON object; "{}" when none
}

// BlobKey is the content address of bytes with the given sha256 (hex).
func BlobKey(sha256hex string) string { return "sha256/" + sha256hex[:2] + "/" + sha256hex }

// ByteRange is an inclusive byte range [Start, End] of a blob.
type ByteRange struct {
	Start, End int64
}

// Len is the number of bytes in the range.
func (r ByteRange) Len() int64 { return r.End - r.Start + 1 }

// BlobPut is one object to store. Size is exact; the store may rely on it to stream.
type BlobPut struct {
	Key         string
	Body        io.Reader
	Size        int64
	ContentType string
}
