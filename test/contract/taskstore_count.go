package contract

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

func taskCount(t *testing.T, s ports.TaskStore) {
	typeA, typeB := UniqueTaskType(), UniqueTaskType()
	plan := []struct {
		typ domain.TaskType
		st  domain.Status
		n   int
	}{
		{typeA, domain.StatusQueued, 3},
		{typeA, domain.StatusRunning, 2},
		{typeB, domain.StatusSucceeded, 1},
	}
	var first domain.Task
	for _, p := range plan {
		for range p.n {
			task := createTask(t, s, NewTask(WithType(p.typ), WithStatus(p.st)))
			if first.ID == "" {
				first = task
			}
		}
	}
	counts, err := s.CountByTypeStatus(t.Context())
	require.NoError(t, err)
	require.Equal(t, map[domain.Status]int64{domain.StatusQueued: 3, domain.StatusRunning: 2}, nonZero(counts[typeA]))
	require.Equal(t, map[domain.Status]int64{domain.StatusSucceeded: 1}, nonZero(counts[typeB]))

	// Counts follow updates.
	_, err = s.Update(t.Context(), first.ID, func(cur *domain.Task) error { return cur.Start("d", Now()) })
	require.NoError(t, err)
	counts, err = s.CountByTypeStatus(t.Context())
	require.NoError(t, err)
	require.Equal(t, map[domain.Status]int64{domain.StatusQueued: 2, domain.StatusRunning: 3}, nonZero(counts[typeA]))
}

// nonZero drops zero counts: adapters may or may not report them.
func nonZero(m map[domain.Status]int64) map[domain.Status]int64 {
	out := map[domain.Status]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
