package cronexpr_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/cronexpr"
	"taskrunner/domain"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func TestParseAcceptsFiveFieldsAndDescriptors(t *testing.T) {
	t.Parallel()
	from := time.Date(2025, 3, 4, 10, 7, 30, 0, time.UTC) // a Tuesday
	for expr, want := range map[string]time.Time{
		"*/5 * * * *":  time.Date(2025, 3, 4, 10, 10, 0, 0, time.UTC),
		"0 9 * * 1-5":  time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC),
		"30 2 1 * *":   time.Date(2025, 4, 1, 2, 30, 0, 0, time.UTC),
		"@hourly":      time.Date(2025, 3, 4, 11, 0, 0, 0, time.UTC),
		"@daily":       time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC),
		"@every 30s":   time.Date(2025, 3, 4, 10, 8, 0, 0, time.UTC),
		"@every 1s":    time.Date(2025, 3, 4, 10, 7, 31, 0, time.UTC),
		"@every 1h30m": time.Date(2025, 3, 4, 11, 37, 30, 0, time.UTC),
	} {
		rec, err := cronexpr.Parser{}.Parse(expr, time.UTC)
		require.NoError(t, err, expr)
		require.Equal(t, want, rec.Next(from), expr)
	}
}

func TestParseRefusesWhatTheContractDoesNot(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"", "   ", "not cron", "* * * *", "* * * * * *", "61 * * * *", "* 25 * * *", "@weekdays",
		"@every", "@every 0s", "@every 999ms", "@every 1500ms", "@every -5s", "@every soon",
		"TZ=UTC * * * * *", "CRON_TZ=Europe/Berlin 0 9 * * *", "TZ=", "CRON_TZ=x",
	} {
		rec, err := cronexpr.Parser{}.Parse(expr, time.UTC)
		require.Error(t, err, "%q", expr)
		require.Nil(t, rec, expr)
	}
}

func TestParseNamesTheEveryRuleAsACronError(t *testing.T) {
	t.Parallel()
	_, err := cronexpr.Parser{}.Parse("@every 500ms", time.UTC)
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeInvalidParams, de.Code)
	require.Equal(t, "cron", de.Details["field"])
	require.Contains(t, de.Message, "at least 1s")
}

func TestNextFollowsTheZoneAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	berlin := mustZone(t, "Europe/Berlin")
	rec, err := cronexpr.Parser{}.Parse("0 9 * * *", berlin)
	require.NoError(t, err)
	// Winter: 09:00 in Berlin is 08:00 UTC; after the switch on 2025-03-30, 07:00 UTC.
	require.Equal(t, time.Date(2025, 3, 29, 8, 0, 0, 0, time.UTC), rec.Next(time.Date(2025, 3, 29, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, time.Date(2025, 3, 30, 7, 0, 0, 0, time.UTC), rec.Next(time.Date(2025, 3, 29, 9, 0, 0, 0, time.UTC)))
	require.Equal(t, time.UTC, rec.Next(time.Now()).Location(), "due times come back in UTC")

	ny := mustZone(t, "America/New_York")
	daily, err := cronexpr.Parser{}.Parse("@daily", ny)
	require.NoError(t, err)
	require.Equal(t, time.Date(2025, 1, 2, 5, 0, 0, 0, time.UTC), daily.Next(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)))
}

func TestNextIsZeroWhenNothingMatches(t *testing.T) {
	t.Parallel()
	rec, err := cronexpr.Parser{}.Parse("0 0 30 2 *", time.UTC) // 30 February
	require.NoError(t, err)
	require.True(t, rec.Next(time.Now()).IsZero())
}

func TestParseNeedsAZone(t *testing.T) {
	t.Parallel()
	_, err := cronexpr.Parser{}.Parse("@daily", nil)
	require.Error(t, err)
}

func FuzzParseNeverPanics(f *testing.F) {
	for _, seed := range []string{"*/5 * * * *", "@every 1s", "TZ=", "0 0 30 2 *", "1-60/0 * * * *"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		rec, err := cronexpr.Parser{}.Parse(expr, time.UTC)
		if err == nil {
			_ = rec.Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		}
	})
}
