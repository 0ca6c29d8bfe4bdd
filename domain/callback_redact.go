package domain

import (
	"net/url"
	"strings"
)

// RedactedValue stands in for a query value of a callback URL wherever the URL is shown.
const RedactedValue = "REDACTED"

// RedactCallbackURL is a callback URL as the task JSON (and so the webhook body, and any
// log or client that reads it) shows it: receivers often authenticate with a token in the
// query, and whoever may read a task need not learn it. Each query parameter keeps its key
// and loses a non-empty value to RedactedValue; a component without "=" (possibly a bare
// token) is replaced whole, and so is a fragment. Scheme, host, port and path stay, so the
// receiver is still recognisable. Credentials never get this far: ParseCallbackURL refuses
// them. The stored URL, used for delivery, is not changed.
func RedactCallbackURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return RedactedValue // stored URLs were parsed at submit; nothing of one that is not is shown
	}
	u.User = nil
	if u.RawQuery != "" || u.ForceQuery {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			key, value, hasValue := strings.Cut(p, "=")
			switch {
			case p == "":
			case !hasValue:
				parts[i] = RedactedValue
			case value != "":
				parts[i] = key + "=" + RedactedValue
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if u.Fragment != "" || u.RawFragment != "" {
		u.Fragment, u.RawFragment = RedactedValue, ""
	}
	return u.String()
}
