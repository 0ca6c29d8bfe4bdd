// Package web is the page fetcher: an HTTP client that only fetches http(s) pages from
// allowed hosts, refuses private and other non-public addresses at dial time (so a name
// that resolves, or redirects, to an internal address is caught where the connection is
// made), follows a bounded number of re-checked redirects, caps the body, accepts only
// HTML, XHTML and plain text, and decodes the body to UTF-8.
package web
