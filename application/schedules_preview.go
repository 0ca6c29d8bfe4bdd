package application

import (
	"time"

	"taskrunner/domain"
)

// MaxPreviewRuns caps how many due times one preview computes.
const MaxPreviewRuns = 10

// Preview returns the next n (1..MaxPreviewRuns) due times of a cron expression in a
// timezone, from now, without storing anything: a form checks an expression as it is
// typed. A bad expression or zone fails as Create would (422 naming cron or timezone).
func (s *ScheduleService) Preview(cron, timezone string, n int) ([]time.Time, error) {
	n = min(max(n, 1), MaxPreviewRuns)
	rec, err := recurrence(s.deps.Cron, &domain.Schedule{Cron: cron, Timezone: zoneName(timezone)})
	if err != nil {
		return nil, err
	}
	var out []time.Time
	at := s.deps.Clock.Now()
	for len(out) < n {
		at = rec.Next(at)
		if at.IsZero() {
			break
		}
		out = append(out, at)
	}
	return out, nil
}
