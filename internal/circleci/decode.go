package circleci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strings"
)

const excerptRunes = 200

func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	return mt
}

// shownMediaType is the media type as printed in an error: sanitised and
// short, since a Content-Type header is as untrusted as the body.
func shownMediaType(contentType string) string {
	return excerpt([]byte(mediaType(contentType)), 64)
}

func isJSONMediaType(contentType string) bool {
	mt := mediaType(contentType)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// errorMessage extracts CircleCI's own message from an error body:
// {"message": "…"}, {"error": "…"}, API v3's {"error": {"title", "detail"}}
// or {"errors": [{"type", "value"}]}.
// It returns "" when the body holds none of these.
func errorMessage(r *redactor, body []byte) string {
	var e struct {
		Message json.RawMessage `json:"message"`
		Error   json.RawMessage `json:"error"`
		Errors  []struct {
			Type    string `json:"type"`
			Value   any    `json:"value"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return ""
	}
	for _, raw := range []json.RawMessage{e.Message, e.Error} {
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return r.excerpt([]byte(s), excerptRunes)
		}
	}
	// API v3: {"error": {"id", "type", "title", "detail", "source"}}.
	var v3 struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}
	if json.Unmarshal(e.Error, &v3) == nil {
		if s := strings.Join(nonEmpty(strings.TrimSpace(v3.Title), strings.TrimSpace(v3.Detail)), ": "); s != "" {
			return r.excerpt([]byte(s), excerptRunes)
		}
	}
	var parts []string
	for _, it := range e.Errors {
		p := strings.TrimSpace(strings.Join(nonEmpty(it.Type, it.Message, valueString(it.Value)), ": "))
		if p != "" {
			parts = append(parts, p)
		}
		if len(parts) == 5 {
			break
		}
	}
	return r.excerpt([]byte(strings.Join(parts, "; ")), excerptRunes)
}

func valueString(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// newAPIError builds the error for a non-2xx response body, with the token
// removed from everything taken from it.
func newAPIError(r *redactor, path string, status int, contentType string, body []byte) *APIError {
	e := &APIError{Path: path, StatusCode: status, ContentType: r.text(contentType)}
	if isJSONMediaType(contentType) || (contentType == "" && json.Valid(body)) {
		e.Message = errorMessage(r, body)
	}
	if e.Message == "" && len(bytes.TrimSpace(body)) > 0 {
		e.Excerpt = r.excerpt(body, excerptRunes)
	}
	return e
}

// decodeJSON decodes a 2xx body into v and checks that it is what the
// endpoint documents, turning every failure into a DecodeError that says
// what was wrong in words: a non-JSON content type, an empty body, malformed
// or truncated JSON, a top-level value of the wrong kind (null, or an array
// where an object belongs), a field of the wrong type, or a value that
// breaks its type's rules (validatable: a listing without "items", a role
// grant without a user). Every text taken from the body has the token
// removed (r may be nil).
func decodeJSON(r *redactor, path string, status int, contentType string, body []byte, v any) error {
	fail := func(reason string, withExcerpt bool) error {
		e := &DecodeError{Path: path, StatusCode: status, ContentType: r.text(contentType), Reason: r.text(reason)}
		if withExcerpt {
			e.Excerpt = r.excerpt(body, excerptRunes)
		}
		return e
	}
	if !isJSONMediaType(contentType) {
		ct := shownMediaType(contentType)
		if ct == "" {
			ct = "no Content-Type"
		}
		return fail(fmt.Sprintf("unexpected %d (%s), expected JSON", status, ct), len(bytes.TrimSpace(body)) > 0)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fail(fmt.Sprintf("unexpected %d with an empty body, expected JSON", status), false)
	}
	if want, got := expectedKind(v), jsonKindOf(body); want != "" && got != "" && want != got {
		return fail(fmt.Sprintf("expected a JSON %s, got JSON %s", want, got), true)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		var itemErr *itemError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fail("truncated JSON (the body ended early)", false)
		case errors.As(err, &syn):
			return fail(fmt.Sprintf("malformed JSON at byte %d", syn.Offset), true)
		case errors.As(err, &typ):
			field := typ.Field
			if field == "" {
				field = "the top-level value"
			} else {
				field = "field " + field
			}
			return fail(fmt.Sprintf("%s has the wrong type: got JSON %s, expected %s", field, typ.Value, jsonKind(typ.Type.Kind().String())), false)
		case errors.As(err, &itemErr):
			return fail(itemErr.Error(), false)
		default:
			return fail("malformed JSON", true)
		}
	}
	if dec.More() {
		return fail("unexpected data after the JSON value", true)
	}
	var trailing json.RawMessage
	if err := dec.Decode(&trailing); err != io.EOF {
		return fail("unexpected data after the JSON value", true)
	}
	if err := validateValue(v); err != nil {
		return fail(err.Error(), true)
	}
	return nil
}

// validateValue runs v's validate, or, for a bare array (a pointer to a
// slice), each element's: the same item rules as a listing's.
func validateValue(v any) error {
	if val, ok := v.(validatable); ok {
		return val.validate()
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Slice {
		return nil
	}
	items := rv.Elem()
	for i := range items.Len() {
		if val, ok := items.Index(i).Addr().Interface().(validatable); ok {
			if err := val.validate(); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
	}
	return nil
}

// itemError is a value rejected while it was decoded (a null where an
// object belongs).
type itemError struct{ reason string }

func (e *itemError) Error() string { return e.reason }

// expectedKind is the JSON kind that decodes into v: "object" for a struct
// or map, "array" for a slice; "" when any kind may do.
func expectedKind(v any) string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return ""
}

// jsonKindOf is the kind of the JSON value body starts with, by its first
// byte; "" when that byte starts no JSON value (the decoder then says why).
func jsonKindOf(body []byte) string {
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 {
		return ""
	}
	switch c := b[0]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 'n':
		return "null"
	case c == 't' || c == 'f':
		return "boolean"
	case c == '-' || (c >= '0' && c <= '9'):
		return "number"
	}
	return ""
}
func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "a boolean"
	case "ptr", "interface":
		return "another type"
	default:
		return "a number"
	}
}
