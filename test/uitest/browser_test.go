//go:build uitest

package uitest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromiumPath is Debian's chromium; CHROMIUM overrides it.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// browser is one headless chromium tab that records every console error, uncaught
// exception and security (CSP) message the pages produce.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

// newBrowser starts chromium with no network of its own (no background requests, no
// component updates) and a laptop-sized window; it is closed when the test ends.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	_, err := os.Stat(chromiumPath())
	require.NoError(t, err, "chromium is needed: apt-get install -y chromium (or set CHROMIUM)")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath()), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("headless", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.NoFirstRun, chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browser{ctx: ctx}
	// Console subscribes before it returns, so nothing the first page logs is missed.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// A "network" entry is an answer such as the 404 of an endpoint this server
			// does not have yet; the pages handle those, and the tests check that they do.
			if (m.Type == chromedp.ConsoleError && m.Source != "network") || m.IsException() {
				b.record(m.String())
			}
		}
	}()
	return b
}

func (b *browser) record(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, s)
}

// noErrors fails the test with every console error seen so far.
func (b *browser) noErrors(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	require.Empty(t, b.errors, "the pages logged errors")
}

func (b *browser) run(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(b.ctx, actions...))
}

// eval runs a JavaScript expression and decodes its value.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	require.NoError(t, err, expr)
	return v
}

// waitJS polls a JavaScript expression until it is true (20 s at most).
func (b *browser) waitJS(t *testing.T, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline))))
		// A navigation while polling (a form that opens the new task) ends the poll: poll
		// again in the new page until the deadline.
		if err == nil || time.Now().After(deadline) || !navigatedAway(err) {
			require.NoError(t, err, "waiting for %s", expr)
			return
		}
	}
}

// screenshot checks the viewport is not blank (a page that rendered has text, borders and
// badges in many colours) and saves it as <name>.png in UI_SCREENSHOT_DIR (relative to the
// repository root; `make screenshots` sets docs/screenshots), or in the test's temporary
// directory, so a plain test run leaves the committed screenshots alone.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(buf))
	require.NoError(t, err)
	require.GreaterOrEqual(t, distinctColours(img), 40, "screenshot %s looks blank", name)
	dir := t.TempDir()
	if d := os.Getenv("UI_SCREENSHOT_DIR"); d != "" {
		dir = d
		if !filepath.IsAbs(d) {
			dir = filepath.Join("..", "..", d)
		}
	}
	path := filepath.Join(dir, name+".png")
	require.NoError(t, os.WriteFile(path, buf, 0o644))
	t.Logf("screenshot %s", path)
}

func distinctColours(img image.Image) int {
	seen := map[uint32]struct{}{}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>11)<<10|(g>>11)<<5|bl>>11] = struct{}{}
		}
	}
	return len(seen)
}

func text(b *browser, t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(t, err, sel)
	return s
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }

// navigatedAway reports an evaluation cut short because the page changed under it.
func navigatedAway(err error) bool {
	return strings.Contains(err.Error(), "navigated") || strings.Contains(err.Error(), "Cannot find context")
}
