package circleci

import (
	"bytes"
	"encoding/json"
	"html"
	"net/url"
	"sort"
	"strings"
)

// redacted replaces the token wherever a server quoted it back.
const redacted = "[REDACTED]"

// redactor removes the configured token from server-sourced text: error
// bodies before they are excerpted, CircleCI's messages, header and
// transport errors, logged header values. CircleCI, or a proxy in front of
// CircleCI Server, may quote the Circle-Token header back in an error body,
// raw or escaped, so every form the token can take there is removed: raw,
// URL-escaped (query and path), JSON-escaped (with and without HTML
// escaping) and HTML-escaped. A nil *redactor removes nothing.
type redactor struct {
	forms    [][]byte // longest first, so that no form leaves a part of a longer one
	replacer *strings.Replacer
}

func newRedactor(token string) *redactor {
	if token == "" {
		return nil
	}
	seen := map[string]bool{}
	var forms []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			forms = append(forms, s)
		}
	}
	add(token)
	add(url.QueryEscape(token))
	add(url.PathEscape(token))
	add(html.EscapeString(token))
	if b, err := json.Marshal(token); err == nil {
		add(string(b[1 : len(b)-1]))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(token) == nil {
		b := bytes.TrimSpace(buf.Bytes())
		add(string(b[1 : len(b)-1]))
	}
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	r := &redactor{}
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		r.forms = append(r.forms, []byte(f))
		pairs = append(pairs, f, redacted)
	}
	r.replacer = strings.NewReplacer(pairs...)
	return r
}

// text returns s without the token.
func (r *redactor) text(s string) string {
	if r == nil {
		return s
	}
	return r.replacer.Replace(s)
}

// bytes returns b without the token; b itself is left alone.
func (r *redactor) bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	for _, f := range r.forms {
		if bytes.Contains(b, f) {
			return []byte(r.replacer.Replace(string(b)))
		}
	}
	return b
}

// excerpt is excerpt(body, n) of the body without the token: the token is
// removed before the cut, so no prefix of it survives at the end.
func (r *redactor) excerpt(body []byte, n int) string {
	return excerpt(r.bytes(body), n)
}

// errorText is the text of an error that may quote the server (a header
// line, a URL), without the token, sanitised and at most n runes long.
func (r *redactor) errorText(err error, n int) error {
	if err == nil {
		return nil
	}
	return &cleanError{msg: r.excerpt([]byte(err.Error()), n), cause: err}
}
