// Package uitest drives the dashboard and the API docs in a real browser (Debian's
// chromium, through chromedp) against an in-process memory-mode stack. Its tests carry
// the build tag uitest, so `make test` does not need a browser; `make test-ui` runs them
// and writes the screenshots under docs/screenshots/.
package uitest
