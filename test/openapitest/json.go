package openapitest

import (
	"bytes"
	"encoding/json"
)

// decodeJSON decodes like kin-openapi does (numbers as float64), so schema checks of
// bodies decoded here match the ones it runs itself.
func decodeJSON(b []byte, v any) error {
	return json.NewDecoder(bytes.NewReader(b)).Decode(v)
}
