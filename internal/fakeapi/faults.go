package fakeapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Placeholders a fault's Body, Raw and Header values may hold: the fake
// replaces them with the request's own Circle-Token header value, raw,
// URL-escaped or JSON-escaped, to play a server (or a proxy) that quotes
// the token back in an error.
const (
	TokenPlaceholder     = "{{token}}"      //nolint:gosec // G101: a placeholder, not a credential
	TokenURLPlaceholder  = "{{token_url}}"  //nolint:gosec // G101: a placeholder, not a credential
	TokenJSONPlaceholder = "{{token_json}}" //nolint:gosec // G101: a placeholder, not a credential
)

// echoToken returns a replacer of the token placeholders by token.
func echoToken(token string) *strings.Replacer {
	j, _ := json.Marshal(token)
	return strings.NewReplacer(TokenPlaceholder, token, TokenURLPlaceholder, url.QueryEscape(token),
		TokenJSONPlaceholder, string(j[1:len(j)-1]))
}

// Fault is a misbehaviour to inject into matching requests.
//
// Faults are queued in order. For each request, the first queued fault that
// matches its path and still has uses left takes charge of it: while that
// fault's Skip count is not used up, the request passes normally (and counts
// against Skip); otherwise the fault is applied (and counts against Times).
// Exhausted faults are dropped.
type Fault struct {
	Path        string        // exact URL path to match, e.g. "/private/ciam/orgs/<id>/role-grants"; "" matches every path
	Skip        int           // let this many matching requests pass normally before the fault applies
	Times       int           // how many matching requests the fault applies to after Skip; 0 means 1; -1 (any negative) means forever
	Status      int           // status to answer with (0: answer normally but still apply Header/Delay)
	Header      http.Header   // headers to add (e.g. Retry-After, Location, Content-Type)
	Body        string        // body to send with Status, verbatim (empty body if ""); Content-Type defaults to JSON when Body != ""
	Delay       time.Duration // wait before answering; returns early when the client goes away
	Reset       bool          // abort the connection without a response (connection reset / EOF)
	EndlessBody bool          // after headers (Status or 200, application/json), stream "[" and an endless body until the client disconnects
	// PartialBody, when > 0 with Status and Body, announces the whole Body
	// (Content-Length) but sends only its first PartialBody bytes, then
	// resets the connection: a reset in the middle of the body.
	PartialBody int
	// StallBody, with PartialBody, holds the connection open after the
	// partial body instead of resetting it, until the client gives up: a
	// per-attempt timeout in the middle of the body.
	StallBody bool
	// Raw, when set, is written to the connection verbatim as the whole
	// response (status line, headers and body), which is then closed: for
	// answers net/http would not send, such as a malformed header line.
	Raw string
}

type faultState struct {
	f        Fault
	skipLeft int
	usesLeft int // <0: forever
}

// Inject queues faults. The first matching fault with remaining uses wins.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		f.Header = f.Header.Clone()
		uses := f.Times
		switch {
		case uses == 0:
			uses = 1
		case uses < 0:
			uses = -1
		}
		skip := f.Skip
		if skip < 0 {
			skip = 0
		}
		s.faults = append(s.faults, &faultState{f: f, skipLeft: skip, usesLeft: uses})
	}
}

// takeFault returns the fault to apply to a request for path, or nil.
// s.mu must be held.
func (s *Server) takeFault(path string) *Fault {
	for i, st := range s.faults {
		if st.f.Path != "" && st.f.Path != path {
			continue
		}
		if st.skipLeft > 0 {
			st.skipLeft--
			return nil
		}
		f := st.f
		if st.usesLeft > 0 {
			st.usesLeft--
			if st.usesLeft == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}
