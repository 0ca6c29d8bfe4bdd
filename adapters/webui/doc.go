// Package webui serves the pages a person reads in a browser: the dashboard under /ui and
// the interactive API docs under /docs. It is a driving adapter like the HTTP API: its
// pages call the application services directly (the first page of tasks is in the HTML the
// server sends, readable without JavaScript), and the JavaScript on top talks to the REST
// API with the bearer token for live updates and actions. The HTTP adapter mounts it
// (httpapi.Deps.Pages), so its requests share the API's request ids, logs and metrics.
//
// Auth, when API_TOKENS is set: the login form (public) posts the token; the server checks
// it and sets a session cookie scoped to /ui (HttpOnly, SameSite=Strict, no Max-Age, so it
// ends with the browser session, and refused after sessionLifetime). The cookie is an HMAC
// derived from the token, not the token: it opens the /ui pages (which only read) and
// nothing of the API. The browser keeps the token itself in sessionStorage, for this tab
// only, and sends it as the bearer token on every API call (actions, live events); a page
// opened where the tab has no token sends the user back to the login form. /docs and the
// static assets are public: they hold no data (the OpenAPI document is public already).
//
// Every page carries a strict Content-Security-Policy: scripts and styles from this origin
// only, nothing inline, and connections only to this origin. Task data reaches the HTML
// through html/template's contextual escaping and the DOM's textContent, never innerHTML.
package webui
