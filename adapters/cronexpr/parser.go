// Package cronexpr parses cron expressions with github.com/robfig/cron/v3: the five
// standard fields plus descriptors (@hourly, @daily, @weekly, @monthly, @yearly and
// "@every <duration>"), each evaluated in the schedule's own time zone.
package cronexpr

import (
	"errors"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.CronParser = Parser{}

// standard accepts what API.md promises: five fields and the descriptors; no seconds
// field, so "* * * * * *" is refused rather than silently firing every second.
var standard = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Parser is the robfig/cron parser behind ports.CronParser.
type Parser struct{}

// Parse reads expr with its times in loc. A zone prefix (TZ=, CRON_TZ=) is refused: the
// zone is loc's, and the library's handling of a prefix without a following field panics.
func (Parser) Parse(expr string, loc *time.Location) (r domain.Recurrence, err error) {
	if loc == nil {
		return nil, errors.New("no time zone given")
	}
	if err := domain.CheckCronText(expr); err != nil {
		return nil, err
	}
	defer func() {
		// The library is not fuzzed here; an expression that trips it is a bad expression,
		// never a crashed process.
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("cannot parse %q", expr)
		}
	}()
	s, err := standard.Parse(expr)
	if err != nil {
		return nil, err
	}
	return zoned{s: s, loc: loc}, nil
}

// zoned evaluates a parsed expression in its zone. The library's schedules carry
// time.Local unless told otherwise, and then follow the zone of the time they are given:
// so the zone travels with the argument.
type zoned struct {
	s   cron.Schedule
	loc *time.Location
}

func (z zoned) Next(after time.Time) time.Time {
	next := z.s.Next(after.In(z.loc))
	if next.IsZero() {
		return time.Time{}
	}
	return next.UTC()
}
