package extract_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
)

func TestTrimTail(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("The survey team walked the whole bank of the river and wrote down every place where the water had risen. ", 3)
	require.Equal(t, body[:len(body)-1], extract.TrimTail(body+"\n\nLast modified: 3 May\nContact: press office"),
		"a short tail after the body goes")
	require.Equal(t, body+"\n\nOne closing line.", extract.TrimTail(body+"\n\nOne closing line."),
		"a single closing line stays")
	var list strings.Builder
	for i := range 13 {
		list.WriteString("\n" + strconv.Itoa(i+1) + ". A band")
	}
	require.Equal(t, body+list.String(), extract.TrimTail(body+list.String()), "a long list stays")
	mixed := body + "\n\nShort line\n" + strings.Repeat("a longer closing paragraph ", 4)
	require.Equal(t, mixed, extract.TrimTail(mixed), "a tail with a long line is part of the article")
	require.Equal(t, "short\nlines\nonly", extract.TrimTail("short\nlines\nonly"), "no body line: nothing to anchor on")
}
