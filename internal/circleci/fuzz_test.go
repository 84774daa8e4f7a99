package circleci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzDecodePage(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"items":[{"user_id":"u1","username":"a","email":"","role":"org-admin"}],"next_page_token":"+/A="}`))
	f.Add(200, "application/json; charset=utf-8", []byte(`{"items":null,"next_page_token":null}`))
	f.Add(200, "application/json", []byte(`{"items":[{"userId":"u1"}]}`))
	f.Add(200, "application/json", []byte(`{"items":[{"user_id":"u1","role":5}]}`))
	f.Add(200, "application/json", []byte(`{"items":"x"}`))
	f.Add(200, "application/json", []byte(`{"items":[{"user_id":"u1"`))
	f.Add(200, "text/html", []byte("<html><body>502</body></html>"))
	f.Add(204, "", []byte(""))
	f.Add(200, "application/vnd.api+json", []byte(`null`))
	f.Add(200, "application/json", []byte(`{} {}`))
	f.Add(200, "a/b; c=\"", []byte("\x00\xff"))
	f.Add(200, "application/json", []byte(`{}`))
	f.Add(200, "application/json", []byte(`{"message":"nope"}`))
	f.Add(200, "application/json", []byte(`{"items":[null]}`))
	f.Add(200, "application/json", []byte(`{"items":null,"next_page_token":"x"}`))
	f.Add(200, "application/json", []byte(`{"items":[{"user_id":"6b0e0000-0000-4000-8000-00000000000a","username":"`+testToken+`","role":"org-admin","x":"`+testToken+`}]}`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		p := newPage[RoleGrant]()
		err := decodeJSON(newRedactor(testToken), "/private/ciam/orgs/x/role-grants", status, contentType, body, p)
		if err == nil {
			if !isJSONMediaType(contentType) {
				t.Fatalf("accepted content type %q", contentType)
			}
			if p.Items != nil && *p.Items == nil {
				t.Fatalf("accepted a page without items: %q", body)
			}
			for i, g := range p.items() {
				if !IsUUID(g.UserID) || g.Username == "" || g.Role == "" {
					t.Fatalf("item %d accepted: %+v", i, g)
				}
			}
			return
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("err = %T, want *DecodeError", err)
		}
		msg := err.Error()
		if len(msg) > 4096 {
			t.Fatalf("error is %d bytes", len(msg))
		}
		if strings.Contains(msg, "invalid character") {
			t.Fatalf("raw json error leaked: %q", msg)
		}
		assertNoToken(t, "error", msg)
	})
}

func FuzzErrorDecode(f *testing.F) {
	f.Add(404, "application/json", []byte(`{"message":"Organization does not exist."}`))
	f.Add(400, "application/json", []byte(`{"errors":[{"type":"t","value":"v"},{"type":"u","value":{"a":1}}]}`))
	f.Add(401, "", []byte(`{"error":"Invalid token provided."}`))
	f.Add(502, "text/html; charset=utf-8", []byte(htmlBadGateway))
	f.Add(500, "text/plain", []byte("\x00\x1b[31m\xff\xfe"))
	f.Add(429, "application/problem+json", []byte(`{"message":5}`))
	f.Add(503, "a/b; c=\"", []byte(``))
	f.Add(401, "application/json", []byte(`{"message":"Invalid token `+testToken+`"}`))
	f.Add(502, "text/html", []byte(`<html>`+strings.Repeat("x", 190)+testToken+`</html>`))
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		e := newAPIError(newRedactor(testToken), "/api/v2/me", status, contentType, body)
		msg := e.Error()
		assertNoToken(t, "error", msg)
		if len(msg) > 4096 {
			t.Fatalf("error is %d bytes", len(msg))
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("error is not valid UTF-8: %q", msg)
		}
		if strings.ContainsAny(msg, "\r\n\x00\x1b") {
			t.Fatalf("error holds control characters: %q", msg)
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "1", "86400", "-1", "1.5", "+3", "soon", "99999999999999999999",
		"Wed, 01 May 2024 12:00:10 GMT", "Wednesday, 01-May-24 12:00:10 GMT", "Wed May  1 12:00:10 2024",
		"Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT"} {
		f.Add(s, int64(1714564800))
	}
	f.Fuzz(func(t *testing.T, v string, nowUnix int64) {
		now := time.Unix(nowUnix, 0)
		d, ok := ParseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %s, negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %s with ok false", v, d)
		}
		// serverWait and backoff must stay usable with whatever came out.
		w, asked := serverWait(http.StatusTooManyRequests, http.Header{"Retry-After": {v}, "X-Ratelimit-Reset": {v}}, now)
		if w < 0 {
			t.Fatalf("serverWait = %s", w)
		}
		if b := backoff(time.Millisecond, time.Second, 3, w, asked); b <= 0 {
			t.Fatalf("backoff = %s", b)
		}
	})
}

// pageScript turns fuzz bytes into a sequence of listing pages. Page i is
// described by script[i] (pages past the end are final):
//
//	bits 0-1: next token: 0 null, 1 "", 2 a fresh token, 3 an earlier token
//	bits 2-4: 7 means the page answers 404, 6 means malformed JSON
//	bits 5-7: number of items (0-7), or which earlier token for case 3
type pageScript []byte

type scriptedPage struct {
	status int
	body   string
	items  []string
	next   *string
	bad    bool // not a usable page
}

func tokenName(i int) string { return "t+/=" + strconv.Itoa(i) + "&x=y" }

func (s pageScript) page(i int) scriptedPage {
	if i >= len(s) {
		return scriptedPage{status: 200, body: `{"items":[],"next_page_token":null}`}
	}
	b := s[i]
	switch (b >> 2) & 7 {
	case 7:
		return scriptedPage{status: 404, body: `{"message":"Org not found."}`, bad: true}
	case 6:
		return scriptedPage{status: 200, body: `{"items":[{"user_id":"x"`, bad: true}
	}
	p := scriptedPage{status: 200}
	n := int(b >> 5)
	for k := 0; k < n; k++ {
		p.items = append(p.items, fmt.Sprintf("00000000-0000-4000-8000-%04d%08d", i, k))
	}
	var tok string
	switch b & 3 {
	case 0:
	case 1:
		p.next = &tok
	case 2:
		tok = tokenName(i)
		p.next = &tok
	case 3:
		tok = tokenName(int(b>>5) % (i + 1))
		p.next = &tok
	}
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for k, id := range p.items {
		if k > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"user_id":%q,"username":"u","role":"org-viewer"}`, id)
	}
	buf.WriteString(`],"next_page_token":`)
	if p.next == nil {
		buf.WriteString("null")
	} else {
		fmt.Fprintf(&buf, "%q", *p.next)
	}
	buf.WriteString("}")
	p.body = buf.String()
	return p
}

// expect walks the script as a correct client would: the full list, or an
// error (repeated token, a failing page, too many pages).
func (s pageScript) expect(maxPages int) ([]string, bool) {
	var all []string
	seen := map[string]bool{}
	for i := 0; ; i++ {
		if i >= maxPages {
			return nil, false
		}
		p := s.page(i)
		if p.bad {
			return nil, false
		}
		all = append(all, p.items...)
		if p.next == nil || *p.next == "" {
			return all, true
		}
		if seen[*p.next] {
			return nil, false
		}
		seen[*p.next] = true
	}
}

// scriptTransport serves the script's pages in order, checking that every
// request after the first carries the previous page's token verbatim.
type scriptTransport struct {
	t      *testing.T
	script pageScript
	calls  int
	last   *string
}

func (st *scriptTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	i := st.calls
	st.calls++
	got := r.URL.Query().Get("page-token")
	want := ""
	if i > 0 && st.last != nil {
		want = *st.last
	}
	if got != want {
		st.t.Errorf("request %d: page-token %q, want %q", i, got, want)
	}
	if r.Header.Get("Circle-Token") != testToken {
		st.t.Errorf("request %d without the token", i)
	}
	p := st.script.page(i)
	st.last = p.next
	return &http.Response{
		StatusCode: p.status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(p.body)),
		Request:    r,
	}, nil
}

func FuzzPagination(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x20})                   // one item, null
	f.Add([]byte{0x42, 0x42, 0x21})       // fresh, fresh, ""
	f.Add([]byte{0x22, 0x03})             // A then A
	f.Add([]byte{0x22, 0x22, 0x03})       // A, B, A
	f.Add([]byte{0x22, 0x1c})             // then a 404
	f.Add([]byte{0x22, 0x18})             // then malformed JSON
	f.Add(bytes.Repeat([]byte{0x22}, 40)) // more than MaxPages
	const maxPages = 30
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64 {
			data = data[:64]
		}
		st := &scriptTransport{t: t, script: pageScript(data)}
		c, err := New(Config{
			Token: testToken, Host: "http://127.0.0.1:1", MaxRetries: 0,
			MaxPages: maxPages, Transport: st, RequestTimeout: 5 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.OrgRoleGrants(context.Background(), testOrg)
		want, ok := st.script.expect(maxPages)
		if err != nil {
			if got != nil {
				t.Fatalf("a partial list of %d with the error %v", len(got), err)
			}
			if ok {
				t.Fatalf("error %v, want %d items", err, len(want))
			}
			if strings.Contains(err.Error(), "t+/=") {
				t.Fatalf("error %q prints a page token", err)
			}
			return
		}
		if !ok {
			t.Fatalf("succeeded with %d items, want an error", len(got))
		}
		if got == nil || len(got) != len(want) {
			t.Fatalf("got %d items, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].UserID != want[i] {
				t.Fatalf("item %d = %q, want %q", i, got[i].UserID, want[i])
			}
		}
		if st.calls > maxPages {
			t.Fatalf("%d requests", st.calls)
		}
	})
}
