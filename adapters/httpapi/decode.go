package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// decodeBody decodes the request body strictly into dst, a pointer to a struct with json
// tags: the body must be one JSON object of known fields with the right types and nothing
// after it. Every failure is a 400 invalid_request whose message and details.field name
// the offending field when there is one.
func decodeBody(c *fiber.Ctx, dst any) error {
	if err := checkJSONHeaders(c); err != nil {
		return err
	}
	return decodeStrict(c.BodyRaw(), dst)
}

// checkJSONHeaders accepts application/json (any parameters) or no Content-Type at all
// (curl without -H), and only identity encoding: a compressed body would dodge the body
// limit once inflated. Anything else is 415 unsupported_media_type (RFC 9110 15.5.16
// covers both the type and the coding), details.header naming the header.
func checkJSONHeaders(c *fiber.Ctx) error {
	// The exact common value skips the parse, which builds a map of parameters per request.
	if ct := c.Get(fiber.HeaderContentType); ct != "" && ct != fiber.MIMEApplicationJSON {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != fiber.MIMEApplicationJSON {
			return domain.NewError(domain.CodeUnsupportedMediaType, "Content-Type must be application/json, got %q", ct).
				WithDetail("header", fiber.HeaderContentType)
		}
	}
	if ce := c.Get(fiber.HeaderContentEncoding); ce != "" && !strings.EqualFold(ce, "identity") {
		return domain.NewError(domain.CodeUnsupportedMediaType, "Content-Encoding %q is not supported; send the body uncompressed", ce).
			WithDetail("header", fiber.HeaderContentEncoding)
	}
	return nil
}

// decodeStrict is decodeBody without the headers, separate so it can be fuzzed.
func decodeStrict(body []byte, dst any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return domain.InvalidRequest("", "request body is empty; send a JSON object")
	}
	if trimmed[0] != '{' {
		return domain.InvalidRequest("", "request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, dst)
	}
	if _, err := dec.Token(); err != io.EOF {
		return domain.InvalidRequest("", "request body has data after the JSON object")
	}
	return nil
}

// decodeError translates encoding/json's errors into invalid_request errors naming the
// field and what it must be.
func decodeError(err error, dst any) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var own *domain.Error
	switch {
	case errors.As(err, &own):
		// A field's own UnmarshalJSON (batchTasks) has already said what is wrong.
		return own
	case errors.As(err, &syn):
		return domain.InvalidRequest("", "request body is not valid JSON: %s at byte %d", syn.Error(), syn.Offset).
			WithDetail("offset", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.InvalidRequest("", "request body is not valid JSON: it ends before the object is complete")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return domain.InvalidRequest("", "request body must be a JSON object")
		}
		field := unembedded(dst, typ.Field)
		return domain.InvalidRequest(field, "%s must be %s", field, describeField(dst, field, typ.Type))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if unq, uerr := strconv.Unquote(name); uerr == nil {
			name = unq
		}
		return domain.InvalidRequest(name, "unknown field %q", name)
	}
	return domain.InvalidRequest("", "request body is not valid JSON")
}

// unembedded drops from the decoder's field path the Go names of dst's embedded structs
// (scheduleFields.priority is the client's priority): their fields are the body's own.
func unembedded(dst any, path string) string {
	t := reflect.TypeOf(dst)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return path
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Anonymous {
			if rest, ok := strings.CutPrefix(path, f.Name+"."); ok {
				return unembedded(reflect.New(f.Type).Interface(), rest)
			}
		}
	}
	return path
}

// describeField says what the field tagged name in dst's struct must hold; the type in
// the decoder's error may be an element's (a number inside "sources"), not the field's.
func describeField(dst any, name string, fallback reflect.Type) string {
	t := reflect.TypeOf(dst)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
				return describeType(f.Type)
			}
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				if d := describeField(reflect.New(f.Type).Interface(), name, nil); d != describeType(nil) {
					return d
				}
			}
		}
	}
	return describeType(fallback)
}

var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

func describeType(t reflect.Type) string {
	if t == nil {
		return "a valid value"
	}
	if t == rawMessageType {
		return "a JSON object"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		inner := describeType(t.Elem())
		if kind, ok := strings.CutPrefix(inner, "a "); ok {
			return "an array of " + kind + "s"
		}
		if kind, ok := strings.CutPrefix(inner, "an "); ok {
			return "an array of " + kind + "s"
		}
		return "an array"
	case reflect.Map, reflect.Struct:
		return "a JSON object"
	}
	return "a valid value"
}
