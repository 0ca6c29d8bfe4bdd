package httpapi

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestParseRange(t *testing.T) {
	t.Parallel()
	for h, want := range map[string]struct {
		r    domain.ByteRange
		kind rangeKind
	}{
		"":                            {kind: rangeNone},
		"bytes=0-0":                   {domain.ByteRange{Start: 0, End: 0}, rangeOne},
		"bytes=0-9":                   {domain.ByteRange{Start: 0, End: 9}, rangeOne},
		"bytes=0-99":                  {domain.ByteRange{Start: 0, End: 9}, rangeOne},
		"bytes= 2 - 4 ":               {domain.ByteRange{Start: 2, End: 4}, rangeOne}, //nolint:gocritic // mapKey: the spaces are the case under test
		"bytes=9-":                    {domain.ByteRange{Start: 9, End: 9}, rangeOne},
		"bytes=-3":                    {domain.ByteRange{Start: 7, End: 9}, rangeOne},
		"bytes=-30":                   {domain.ByteRange{Start: 0, End: 9}, rangeOne},
		"bytes=10-":                   {kind: rangeUnsatisfiable},
		"bytes=10-12":                 {kind: rangeUnsatisfiable},
		"bytes=-0":                    {kind: rangeUnsatisfiable},
		"bytes=4-2":                   {kind: rangeNone},
		"bytes=0-1,3-4":               {kind: rangeNone},
		"bytes=-":                     {kind: rangeNone},
		"bytes=a-b":                   {kind: rangeNone},
		"bytes=+1-2":                  {kind: rangeNone},
		"bytes=0x1-":                  {kind: rangeNone},
		"pages=0-1":                   {kind: rangeNone},
		"bytes=99999999999999999999-": {kind: rangeNone},
	} {
		r, kind := parseRange(h, 10)
		require.Equal(t, want.kind, kind, h)
		require.Equal(t, want.r, r, h)
	}
	_, kind := parseRange("bytes=-5", 0)
	require.Equal(t, rangeUnsatisfiable, kind)
}

func TestETagMatching(t *testing.T) {
	t.Parallel()
	const tag = `"abc"`
	require.True(t, etagListMatches(`"abc"`, tag))
	require.True(t, etagListMatches(`W/"abc"`, tag))
	require.True(t, etagListMatches(`"x", "abc"`, tag))
	require.True(t, etagListMatches(`*`, tag))
	require.False(t, etagListMatches(``, tag))
	require.False(t, etagListMatches(`"abcd"`, tag))
	require.True(t, ifRangeAllows("", tag))
	require.True(t, ifRangeAllows(tag, tag))
	require.False(t, ifRangeAllows(`W/"abc"`, tag), "If-Range needs a strong match")
	require.False(t, ifRangeAllows("Wed, 21 Oct 2015 07:28:00 GMT", tag))
}
