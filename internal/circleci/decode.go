package circleci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
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
// {"message": "…"}, {"error": "…"} or {"errors": [{"type", "value"}]}.
// It returns "" when the body holds none of these.
func errorMessage(body []byte) string {
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
			return excerpt([]byte(s), excerptRunes)
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
	return excerpt([]byte(strings.Join(parts, "; ")), excerptRunes)
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

// newAPIError builds the error for a non-2xx response body.
func newAPIError(method, path string, status int, contentType string, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, ContentType: contentType}
	if isJSONMediaType(contentType) || (contentType == "" && json.Valid(body)) {
		e.Message = errorMessage(body)
	}
	if e.Message == "" && len(bytes.TrimSpace(body)) > 0 {
		e.Excerpt = excerpt(body, excerptRunes)
	}
	return e
}

// decodeJSON decodes a 2xx body into v, turning every failure into a
// DecodeError that says what was wrong in words: a non-JSON content type, an
// empty body, malformed or truncated JSON, or a field of the wrong type.
func decodeJSON(method, path string, status int, contentType string, page int, body []byte, v any) error {
	fail := func(reason string, withExcerpt bool) error {
		e := &DecodeError{Method: method, Path: path, StatusCode: status, ContentType: contentType, Page: page, Reason: reason}
		if withExcerpt {
			e.Excerpt = excerpt(body, excerptRunes)
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
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
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
	if val, ok := v.(validatable); ok {
		if err := val.validate(); err != nil {
			return fail(err.Error(), false)
		}
	}
	return nil
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
