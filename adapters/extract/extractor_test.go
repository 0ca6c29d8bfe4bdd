package extract_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html/charset"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// readPage returns a testdata page as UTF-8. The legacy-charset pages are decoded with the
// same library the fetcher uses (the fetcher's own decoding is tested in adapters/web).
func readPage(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".html"))
	require.NoError(t, err)
	r, err := charset.NewReader(bytes.NewReader(b), "text/html")
	require.NoError(t, err)
	u, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(u)
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// tokenList splits text into lower-cased words, in order; each Han, Hiragana or Katakana
// character is a token of its own, since those scripts do not separate words with spaces.
func tokenList(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// bag counts the items of a list.
func bag(items []string) map[string]int {
	out := make(map[string]int, len(items))
	for _, it := range items {
		out[it]++
	}
	return out
}

// overlap returns the precision and recall of the bag got against the bag want.
func overlap(got, want map[string]int) (precision, recall float64) {
	var common, ng, nw int
	for k, c := range got {
		ng += c
		common += min(c, want[k])
	}
	for _, c := range want {
		nw += c
	}
	if common == 0 {
		return 0, 0
	}
	return float64(common) / float64(ng), float64(common) / float64(nw)
}

// harmonic is the F1 of a precision and a recall.
func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// tokenF1 is the bag-of-tokens F1 of got against want, the measure article-extraction
// benchmarks report.
func tokenF1(got, want string) float64 {
	return harmonic(overlap(bag(tokenList(got)), bag(tokenList(want))))
}

// requireKeptAndGone checks that text holds every one of kept and none of gone.
func requireKeptAndGone(t *testing.T, text string, kept, gone []string) {
	t.Helper()
	for _, k := range kept {
		require.Contains(t, text, k)
	}
	for _, g := range gone {
		require.NotContains(t, text, g)
	}
}

// requireBlock checks that text holds want as a whole run of words, not glued to the
// text of a neighbouring block.
func requireBlock(t *testing.T, text, want string) {
	t.Helper()
	require.Contains(t, text, want, "expected text missing")
	for from := 0; ; {
		i := strings.Index(text[from:], want)
		if i < 0 {
			break
		}
		i += from
		end := i + len(want)
		if (i == 0 || text[i-1] == ' ') && (end == len(text) || text[end] == ' ') {
			return
		}
		from = i + 1
	}
	t.Fatalf("%q is glued to a neighbouring block", want)
}

func extractReader(t testing.TB, html, url string) domain.Extracted {
	t.Helper()
	out, err := extract.New(extract.Config{}).Extract(context.Background(),
		domain.ExtractInput{HTML: html, URL: url, ReaderMode: true})
	require.NoError(t, err)
	return out
}

var pages = []string{"news_article", "blog_comments", "docs_page", "list_heavy", "non_english", "windows1252", "shift_jis"}

func TestExtractArticles(t *testing.T) {
	t.Parallel()
	var sum float64
	for _, name := range pages {
		t.Run(name, func(t *testing.T) {
			out := extractReader(t, readPage(t, name), "https://example.com/"+name)
			want, err := os.ReadFile(filepath.Join("testdata", name+".expected.txt"))
			require.NoError(t, err)
			got := collapse(out.Text)
			for _, line := range readLines(t, filepath.Join("testdata", name+".expected.txt")) {
				requireBlock(t, got, collapse(line))
			}
			for _, line := range readLines(t, filepath.Join("testdata", name+".absent.txt")) {
				require.NotContains(t, got, line, "boilerplate kept")
			}
			f1 := tokenF1(out.Text, string(want))
			t.Logf("token F1 %.3f", f1)
			sum += f1
			require.GreaterOrEqual(t, f1, 0.9)
			require.NotContains(t, out.Text, "\n\n\n", "at most one blank line between blocks")
		})
	}
	t.Logf("mean token F1 over %d pages: %.3f", len(pages), sum/float64(len(pages)))
}

// A page whose whole article sits in a block named like a caption (a slideshow's slide
// text) loses it to prune, and neither extractor finds an article in what is left: the
// article of the page as it came is taken, not the page's visible text with its menus.
func TestArticleOfTheUnpreparedPageIsTheLastResort(t *testing.T) {
	t.Parallel()
	out := extractReader(t, readPage(t, "slide_caption"), "https://example.com/slides")
	got := collapse(out.Text)
	requireBlock(t, got, "Nobody enjoys the pile of pans that follows a good dinner, so this week we cooked everything in a single heavy pot and timed each step.")
	requireBlock(t, got, "The lentil stew took forty minutes from chopping to table, and the leftovers tasted even better for lunch the next afternoon.")
	for _, menu := range []string{"Recipes", "Privacy", "Next slide"} {
		require.NotContains(t, got, menu, "the visible text's menus")
	}
}

// A <title> that is never closed takes the rest of the page as its text (the parser reads
// a title as plain text up to "</title>"). The article found is that same text; it is not
// dropped as the title repeated, which would leave nothing.
func TestUnclosedTitleLeavesTheText(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("The council approved the new bus routes on Tuesday after a long public hearing. ", 6)
	page := "<html><head><title>Bus routes approved <div><p>" + body + "</p></div></body></html>"
	out := extractReader(t, page, "https://example.com/buses")
	require.Contains(t, out.Text, "The council approved the new bus routes on Tuesday")
}

// The second extractor's article replaces a short article of trafilatura's only when it
// is far longer: a slightly longer candidate is as likely to hold boilerplate as missed
// text.
func TestCandidateDecision(t *testing.T) {
	t.Parallel()
	require.True(t, extract.Doubtful(0))
	require.True(t, extract.Doubtful(1499))
	require.False(t, extract.Doubtful(1500))
	type f = extract.SwitchFeatures
	require.True(t, extract.Replaces(f{PrimaryRunes: 0, CandRunes: 1}), "any candidate beats no article")
	require.False(t, extract.Replaces(f{}))
	require.False(t, extract.Replaces(f{PrimaryRunes: 400, CandRunes: 1000, Contained: 1}), "exactly 2.5 times as long")
	require.True(t, extract.Replaces(f{PrimaryRunes: 400, CandRunes: 1001, Contained: 1}))
	require.False(t, extract.Replaces(f{PrimaryRunes: 400, CandRunes: 700, Contained: 1}))
	require.False(t, extract.Replaces(f{PrimaryRunes: 400, CandRunes: 4000, Contained: 0.1}),
		"a longer candidate that is another block of the page")
	require.True(t, extract.Replaces(f{PrimaryRunes: 100, CandRunes: 4000, Contained: 0.1}),
		"a primary too short to be an article")
	require.False(t, extract.Replaces(f{PrimaryRunes: 100, CandRunes: 4000, CandLinkRunes: 0.8}),
		"a candidate made of links")
	require.False(t, extract.Replaces(f{PrimaryRunes: 400, CandRunes: 4000, Contained: 1, CandLinkRunes: 0.3}),
		"a candidate that extends the primary with link lists")
}

// A short article (under the doubtful length, so both extractors run) comes out whole,
// without the page's navigation and footer, and titled from the page's <title>.
func TestDoubtfulArticle(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`<html><head><title>Notes</title></head><body><nav><a href="/">Home</a> <a href="/a">About</a></nav>`)
	b.WriteString(`<div class="entry-content">`)
	for i := range 8 {
		b.WriteString("<p>Paragraph " + strconv.Itoa(i) + " of the field notes says that the river rose slowly overnight, and that the bank held, which the survey team recorded before noon.</p>")
	}
	b.WriteString(`</div><footer>Copyright Notes Ltd</footer></body></html>`)
	out := extractReader(t, b.String(), "https://notes.example/river")
	require.Contains(t, out.Text, "Paragraph 0 of the field notes")
	require.Contains(t, out.Text, "Paragraph 7 of the field notes")
	require.NotContains(t, out.Text, "Copyright Notes Ltd")
	require.Equal(t, "Notes", out.Title)
}
