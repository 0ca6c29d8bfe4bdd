package memory

// Parked returns how many Dequeue calls are parked waiting for an id, so tests can wait
// for a consumer to block instead of sleeping and hoping it has.
func (q *Queue) Parked() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.waiters.Len()
}
