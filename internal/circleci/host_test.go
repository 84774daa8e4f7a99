package circleci

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeHost(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		wantErr  bool
		insecure bool // the error must be ErrInsecureHost
	}{
		{in: "https://circleci.com", want: "https://circleci.com"},
		{in: "  https://circleci.com  ", want: "https://circleci.com"},
		{in: "https://circleci.com/", want: "https://circleci.com"},
		{in: "https://circleci.com/api/v2", want: "https://circleci.com"},
		{in: "https://circleci.com/api/v2/", want: "https://circleci.com"},
		{in: "HTTPS://CircleCI.Example.COM/api/v2/", want: "https://circleci.example.com"},
		{in: "https://circleci.example.com:8443", want: "https://circleci.example.com:8443"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{in: "http://127.5.6.7", want: "http://127.5.6.7"},
		{in: "http://[::1]:9000/api/v2", want: "http://[::1]:9000"},
		{in: "http://localhost:3000/", want: "http://localhost:3000"},
		{in: "http://LOCALHOST", want: "http://localhost"},
		{in: "http://circleci.com", wantErr: true, insecure: true},
		{in: "http://circleci.example.com/api/v2", wantErr: true, insecure: true},
		{in: "http://10.0.0.1", wantErr: true, insecure: true},
		{in: "http://128.0.0.1", wantErr: true, insecure: true},
		{in: "http://localhost.evil.com", wantErr: true, insecure: true},
		{in: "http://[::2]", wantErr: true, insecure: true},
		{in: "", wantErr: true},
		{in: "   ", wantErr: true},
		{in: "circleci.com", wantErr: true},
		{in: "https://circleci.com/api", wantErr: true},
		{in: "https://circleci.com/api/v1", wantErr: true},
		{in: "https://circleci.com/some/path", wantErr: true},
		{in: "https://circleci.com/api/v2/me", wantErr: true},
		{in: "https://circleci.com?x=1", wantErr: true},
		{in: "https://circleci.com/#frag", wantErr: true},
		{in: "https://user:s3cr3tpw@circleci.com", wantErr: true},
		{in: "https://user@circleci.com", wantErr: true},
		{in: "ftp://circleci.com", wantErr: true},
		{in: "file:///etc/passwd", wantErr: true},
		{in: "javascript:alert(1)", wantErr: true},
		{in: "mailto:a@b.c", wantErr: true},
		{in: "https://", wantErr: true},
		{in: "https://circle ci.com", wantErr: true},
		// The default port and a trailing dot are the same origin
		// (regression: both were taken for CircleCI Server).
		{in: "https://circleci.com:443", want: "https://circleci.com"},
		{in: "https://circleci.com.", want: "https://circleci.com"},
		{in: "https://CircleCI.com.:443/api/v2/", want: "https://circleci.com"},
		{in: "https://circleci.com:", want: "https://circleci.com"},
		{in: "http://127.0.0.1:80", want: "http://127.0.0.1"},
		{in: "https://circleci.example.com:80", want: "https://circleci.example.com:80"},
		{in: "https://[::1]:443", want: "https://[::1]"},
		// Ports outside 1-65535 (regression: both were accepted).
		{in: "https://circleci.com:0", wantErr: true},
		{in: "https://circleci.com:99999", wantErr: true},
		{in: "https://circleci.com:65536", wantErr: true},
		{in: "http://127.0.0.1:0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeHost(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("NormalizeHost(%q) = %q, want an error", tt.in, got)
				}
				if tt.insecure && !errors.Is(err, ErrInsecureHost) {
					t.Fatalf("NormalizeHost(%q) error = %v, want ErrInsecureHost", tt.in, err)
				}
				if strings.Contains(err.Error(), "s3cr3tpw") {
					t.Errorf("error %q echoes the password", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeHost(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("NormalizeHost(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDefaultAppHostFor(t *testing.T) {
	tests := []struct{ host, want string }{
		{DefaultHost, DefaultCloudAppHost},
		{"https://circleci.example.com", "https://circleci.example.com"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			if got := DefaultAppHostFor(tt.host); got != tt.want {
				t.Fatalf("DefaultAppHostFor(%q) = %q, want %q", tt.host, got, tt.want)
			}
		})
	}
}

func TestNewHosts(t *testing.T) {
	tests := []struct {
		name, host, appHost string
		wantHost, wantApp   string
		wantErr             bool
	}{
		{name: "cloud", host: "https://circleci.com/api/v2/", wantHost: DefaultHost, wantApp: DefaultCloudAppHost},
		// Regression: these went to the Server layout, the members request to the API host.
		{name: "cloud with its default port", host: "https://circleci.com:443", wantHost: DefaultHost, wantApp: DefaultCloudAppHost},
		{name: "cloud with a trailing dot", host: "https://circleci.com.", wantHost: DefaultHost, wantApp: DefaultCloudAppHost},
		{name: "server", host: "https://ci.example.com/api/v2", wantHost: "https://ci.example.com", wantApp: "https://ci.example.com"},
		{name: "explicit app host", host: "https://ci.example.com", appHost: "https://app.example.com/", wantHost: "https://ci.example.com", wantApp: "https://app.example.com"},
		{name: "insecure host", host: "http://ci.example.com", wantErr: true},
		{name: "insecure app host", host: "https://ci.example.com", appHost: "http://app.example.com", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{Token: testToken, Host: tt.host, AppHost: tt.appHost})
			if tt.wantErr {
				if err == nil {
					t.Fatal("New succeeded, want an error")
				}
				if !errors.Is(err, ErrInsecureHost) {
					t.Fatalf("error %v does not wrap ErrInsecureHost", err)
				}
				assertNoToken(t, "error", err.Error())
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Host() != tt.wantHost || c.AppHost() != tt.wantApp {
				t.Fatalf("Host, AppHost = %q, %q; want %q, %q", c.Host(), c.AppHost(), tt.wantHost, tt.wantApp)
			}
		})
	}
}

func TestValidateToken(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		wantErr bool
	}{
		{"ok", testToken, false},
		{"ok with inner punctuation", "abc-DEF_123.456", false},
		{"empty", "", true},
		{"spaces", "   ", true},
		{"tab only", "\t", true},
		{"trailing newline", testToken + "\n", true},
		{"trailing CRLF", testToken + "\r\n", true},
		{"inner CR", "cct_SECRET\r7f3a", true},
		{"inner newline", "cct_SECRET\n7f3a", true},
		{"NUL", "cct_SECRET\x007f3a", true},
		{"escape", "cct_SECRET\x1b[31m", true},
		{"DEL", "cct_SECRET\x7f", true},
		{"tab inside", "cct_SECRET\t7f3a", true},
		{"leading space", " " + testToken, true},
		{"trailing space", testToken + " ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateToken(tt.token)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateToken error = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if tt.token != "" && strings.TrimSpace(tt.token) != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.token)) {
				t.Errorf("error %q contains the token", err)
			}
			for _, part := range []string{"cct_SECRET", "7f3a", "SECRET"} {
				if strings.Contains(err.Error(), part) {
					t.Errorf("error %q contains part of the token (%q)", err, part)
				}
			}
			// New must refuse the same token with the same care.
			_, nerr := New(Config{Token: tt.token, Host: DefaultHost})
			if nerr == nil {
				t.Fatal("New accepted the token")
			}
			if strings.Contains(nerr.Error(), "SECRET") {
				t.Errorf("New error %q contains the token", nerr)
			}
		})
	}
}
