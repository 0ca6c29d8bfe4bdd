package httpapi

import (
	"encoding/base64"

	"taskrunner/domain"
)

// The list cursor (next_cursor, passed back as ?cursor=) is the id of the last task of the
// previous page (domain.TaskPage.NextAfter), base64url-encoded without padding so that
// clients treat it as opaque and the encoding may change without breaking their code. The
// format is the one earlier servers issued, so their cursors keep working.

func encodeCursor(after string) string { return base64.RawURLEncoding.EncodeToString([]byte(after)) }

// decodeCursor returns the task id a cursor carries, or invalid_request naming "cursor".
func decodeCursor(cursor string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !domain.ValidID(string(b)) {
		return "", domain.InvalidRequest("cursor", "cursor is not one this server issued")
	}
	return string(b), nil
}
