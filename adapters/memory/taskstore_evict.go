package memory

import (
	"cmp"
	"slices"
	"time"
)

// finishedCount is how many tasks are in a terminal state.
func (s *TaskStore) finishedCount() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var n int64
	for _, byStatus := range s.counts {
		for st, c := range byStatus {
			if st.Terminal() {
				n += c
			}
		}
	}
	return n
}

// finishedTask is a finished task's id and when it finished.
type finishedTask struct {
	id string
	at time.Time
}

// finishedLocked returns the finished tasks, those that finished first first (ties by id).
// A finished task without FinishedAt counts as finished when it was last updated.
func (s *TaskStore) finishedLocked() []finishedTask {
	var finished []finishedTask
	for id, t := range s.tasks {
		// A task whose webhook is still owed stays until it is delivered or given up.
		if t.Status.Terminal() && !t.Callback.Due() {
			at := t.UpdatedAt
			if t.FinishedAt != nil {
				at = *t.FinishedAt
			}
			finished = append(finished, finishedTask{id, at})
		}
	}
	slices.SortFunc(finished, func(a, b finishedTask) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return finished
}

// evictFinished removes finished tasks, those that finished first, until at most keep are
// left, and returns their ids. Tasks that are not finished are never touched.
func (s *TaskStore) evictFinished(keep int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	finished := s.finishedLocked()
	if len(finished) <= keep {
		return nil
	}
	return s.removeLocked(finished[:len(finished)-keep])
}

// deleteFinishedBefore removes up to limit finished tasks that finished strictly before
// cutoff, those that finished first, and returns their ids.
func (s *TaskStore) deleteFinishedBefore(cutoff time.Time, limit int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	finished := s.finishedLocked()
	n, _ := slices.BinarySearchFunc(finished, cutoff, func(f finishedTask, c time.Time) int {
		if f.at.Before(c) {
			return -1
		}
		return 1
	})
	return s.removeLocked(finished[:min(n, limit)])
}

// removeLocked deletes the tasks as if they never were: their ids answer not found and
// their idempotency keys are free again. It returns their ids.
func (s *TaskStore) removeLocked(doomed []finishedTask) []string {
	if len(doomed) == 0 {
		return nil
	}
	gone := make(map[string]struct{}, len(doomed))
	ids := make([]string, 0, len(doomed))
	for _, d := range doomed {
		t := s.tasks[d.id]
		if t.IdempotencyKey != "" && s.byKey[t.IdempotencyKey] == d.id {
			delete(s.byKey, t.IdempotencyKey)
		}
		s.countLocked(t.Type, t.Status, -1)
		delete(s.tasks, d.id)
		gone[d.id] = struct{}{}
		ids = append(ids, d.id)
	}
	s.ids = slices.DeleteFunc(s.ids, func(id string) bool { _, ok := gone[id]; return ok })
	return ids
}
