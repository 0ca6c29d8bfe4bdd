package domain

// TaskDeletion is what deleting one finished task removed: its artifacts' metadata and
// runs, and the sha256 of every blob that may have lost its last artifact with it (noted
// as orphan candidates, to release as retention does).
type TaskDeletion struct {
	Artifacts int
	Runs      int
	Orphans   []string
}
