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

// evictFinished removes finished tasks, those that finished first, until at most keep are
// left, and returns their ids. Tasks that are not finished are never touched.
func (s *TaskStore) evictFinished(keep int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	type done struct {
		id string
		at time.Time
	}
	var finished []done
	for id, t := range s.tasks {
		// A task whose webhook is still owed stays until it is delivered or given up.
		if t.Status.Terminal() && !t.Callback.Due() {
			at := t.UpdatedAt
			if t.FinishedAt != nil {
				at = *t.FinishedAt
			}
			finished = append(finished, done{id, at})
		}
	}
	if len(finished) <= keep {
		return nil
	}
	slices.SortFunc(finished, func(a, b done) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	gone := make(map[string]struct{}, len(finished)-keep)
	ids := make([]string, 0, len(finished)-keep)
	for _, d := range finished[:len(finished)-keep] {
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
