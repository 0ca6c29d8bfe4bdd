package memory

import (
	"context"

	"taskrunner/domain"
)

// deleteTasks removes the artifacts of the given tasks and frees each blob no artifact
// references any more. The blob goes while this store's lock is held: an artifact created
// with the same bytes meanwhile is either counted before (and the blob stays) or created
// after, and then the artifact service finds the bytes gone and puts them again (see
// application.ArtifactService.Create). It returns how many artifacts and blobs went.
func (s *ArtifactStore) deleteTasks(taskIDs []string, blobs *BlobStore) (artifacts, freed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, task := range taskIDs {
		for _, id := range s.byTask[task] {
			a := s.artifacts[id]
			delete(s.artifacts, id)
			artifacts++
			s.refs[a.SHA256]--
			if s.refs[a.SHA256] > 0 {
				continue
			}
			delete(s.refs, a.SHA256)
			delete(s.orphans, a.SHA256) // settled here: retention need not look again
			if blobs != nil && blobs.delete(domain.BlobKey(a.SHA256)) {
				freed++
			}
		}
		delete(s.byTask, task)
	}
	return artifacts, freed
}

// delete removes a blob; it reports whether there was one.
func (s *BlobStore) delete(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.blobs[key]
	delete(s.blobs, key)
	return ok
}

// forgetTasks removes the runs recorded by the given tasks and returns how many went.
func (s *RunStore) forgetTasks(taskIDs []string) int {
	gone := make(map[string]struct{}, len(taskIDs))
	for _, id := range taskIDs {
		gone[id] = struct{}{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for key, runs := range s.byKey {
		kept := runs[:0]
		for _, r := range runs {
			if _, ok := gone[r.TaskID]; ok && r.TaskID != "" {
				delete(s.ids, r.ID)
				n++
				continue
			}
			kept = append(kept, r)
		}
		if len(kept) == 0 {
			delete(s.byKey, key)
		} else {
			s.byKey[key] = kept
		}
	}
	return n
}

// Delete removes the bytes of key (ports.BlobStore); a missing key is not an error.
func (s *BlobStore) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.delete(key)
	return nil
}
