package postgres

import (
	"fmt"
	"net/url"
	"strings"
)

// poolURL returns raw as a libpq-style URL pgx accepts. Besides postgres:// and
// postgresql:// it takes the predecessor's SQLAlchemy form postgresql+psycopg2://, because
// users' env files still carry DATABASE_URL in that shape.
func poolURL(raw string) (string, error) {
	u, err := parseDBURL(raw)
	if err != nil {
		return "", err
	}
	u.Scheme = "postgres"
	return u.String(), nil
}

// migrateURL returns raw with the pgx5:// scheme golang-migrate's pgx/v5 driver registers.
func migrateURL(raw string) (string, error) {
	u, err := parseDBURL(raw)
	if err != nil {
		return "", err
	}
	u.Scheme = "pgx5"
	return u.String(), nil
}

func parseDBURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Parse echoes the input, password included: report the shape, not the text.
		return nil, fmt.Errorf("postgres: database URL is not a valid URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if i := strings.IndexByte(scheme, '+'); i >= 0 { // postgresql+psycopg2, postgres+pg8000, ...
		scheme = scheme[:i]
	}
	switch scheme {
	case "postgres", "postgresql", "pgx5":
	default:
		return nil, fmt.Errorf("postgres: database URL scheme %q is not postgres:// or postgresql://", u.Scheme)
	}
	u.Scheme = scheme
	return u, nil
}
