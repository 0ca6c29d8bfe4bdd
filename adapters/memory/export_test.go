package memory

import "taskrunner/domain"

// Parked returns how many Dequeue calls are parked waiting for an id, so tests can wait
// for a consumer to block instead of sleeping and hoping it has.
func (q *Queue) Parked() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.waiters.Len()
}

// Recount counts the stored tasks per (type, status) afresh, walking every task: what the
// counters CountByTypeStatus reads must always equal.
func (s *TaskStore) Recount() map[domain.TaskType]map[domain.Status]int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[domain.TaskType]map[domain.Status]int64{}
	for _, t := range s.tasks {
		if out[t.Type] == nil {
			out[t.Type] = map[domain.Status]int64{}
		}
		out[t.Type][t.Status]++
	}
	return out
}
