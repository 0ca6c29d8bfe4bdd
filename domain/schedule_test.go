package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestLoadTimezone(t *testing.T) {
	t.Parallel()
	loc, err := domain.LoadTimezone("")
	require.NoError(t, err)
	require.Equal(t, time.UTC, loc, "empty is UTC")
	loc, err = domain.LoadTimezone("Asia/Tokyo")
	require.NoError(t, err)
	require.Equal(t, "Asia/Tokyo", loc.String())
	for _, bad := range []string{"Local", "Mars/Olympus", "utc\x00", "../../etc/passwd", string(make([]byte, 65))} {
		_, err := domain.LoadTimezone(bad)
		requireField(t, err, domain.CodeInvalidParams, "timezone")
	}
}

func TestCheckCronText(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"* * * * *", "@daily", "@every 1s", "@every 2m30s", "@every 1h"} {
		require.NoError(t, domain.CheckCronText(ok), ok)
	}
	for _, bad := range []string{"", " ", "@every 0s", "@every 999ms", "@every 1.5s", "@every x",
		"TZ=UTC @daily", "CRON_TZ=UTC @daily", "* * * * *\x00", string(make([]byte, 201))} {
		requireField(t, domain.CheckCronText(bad), domain.CodeInvalidParams, "cron")
	}
}

func TestCheckScheduleNameAndOverlap(t *testing.T) {
	t.Parallel()
	require.NoError(t, domain.CheckScheduleName("nightly report"))
	for _, bad := range []string{"", "  ", "a\x00b", string(make([]byte, 201))} {
		requireField(t, domain.CheckScheduleName(bad), domain.CodeInvalidParams, "name")
	}
	o, err := domain.ParseOverlap("")
	require.NoError(t, err)
	require.Equal(t, domain.OverlapSkip, o, "skip by default")
	o, err = domain.ParseOverlap("allow")
	require.NoError(t, err)
	require.Equal(t, domain.OverlapAllow, o)
	_, err = domain.ParseOverlap("never")
	requireField(t, err, domain.CodeInvalidParams, "overlap")
}

// everyMinute is a Recurrence of whole minutes, enough to check the schedule's own rules.
type everyMinute struct{}

func (everyMinute) Next(after time.Time) time.Time {
	return after.Truncate(time.Minute).Add(time.Minute)
}

type never struct{}

func (never) Next(time.Time) time.Time { return time.Time{} }

func TestScheduleFiresOnceAfterDowntime(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 1, 1, 10, 0, 30, 0, time.UTC)
	s := domain.Schedule{Cron: "* * * * *", Enabled: true}
	require.NoError(t, s.Plan(everyMinute{}, start))
	require.Equal(t, time.Date(2025, 1, 1, 10, 1, 0, 0, time.UTC), *s.NextRunAt)

	// Down for an hour: one firing, and the next due time is the first after now.
	now := start.Add(time.Hour)
	s.Fired(everyMinute{}, "task-1", now)
	require.Equal(t, time.Date(2025, 1, 1, 11, 1, 0, 0, time.UTC), *s.NextRunAt)
	require.Equal(t, now, *s.LastRunAt)
	require.Equal(t, "task-1", s.LastTaskID)

	s.Skipped(everyMinute{}, now.Add(time.Minute))
	require.Equal(t, time.Date(2025, 1, 1, 11, 2, 0, 0, time.UTC), *s.NextRunAt)
	require.Equal(t, "task-1", s.LastTaskID, "a skip fires nothing")

	s.Enabled = false
	require.NoError(t, s.Plan(everyMinute{}, now))
	require.Nil(t, s.NextRunAt, "disabled plans nothing")
	s.Enabled = true
	requireField(t, s.Plan(never{}, now), domain.CodeInvalidParams, "cron")
}

func TestScheduleSlotKeyIsPerDueTime(t *testing.T) {
	t.Parallel()
	due := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	require.Equal(t, domain.ScheduleSlotKey("a", due), domain.ScheduleSlotKey("a", due.In(time.FixedZone("x", 3600))))
	require.NotEqual(t, domain.ScheduleSlotKey("a", due), domain.ScheduleSlotKey("a", due.Add(time.Second)))
	require.NotEqual(t, domain.ScheduleSlotKey("a", due), domain.ScheduleSlotKey("b", due))
	require.LessOrEqual(t, len(domain.ScheduleSlotKey("0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b", due)), domain.MaxIdempotencyKeyLen)
}
