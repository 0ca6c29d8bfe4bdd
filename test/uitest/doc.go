// Package uitest tests the dashboard and the API docs against an in-process memory-mode
// stack. pages_test.go reads the pages over HTTP (rendering, escaping, the auth gate) and
// runs in `make test`. The browser tests drive them in Debian's chromium through
// chromedp; they carry the build tag uitest, so `make test` does not need a browser, and
// `make test-ui` runs them; `make screenshots` also writes the screenshots under docs/screenshots/.
package uitest
