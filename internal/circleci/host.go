package circleci

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DefaultHost is the CircleCI cloud API origin.
const DefaultHost = "https://circleci.com"

// DefaultCloudAppHost is the origin of CircleCI cloud's web app, which serves
// the organization-members endpoint.
const DefaultCloudAppHost = "https://app.circleci.com"

// ErrInsecureHost is returned for a plain http:// origin that is not loopback.
var ErrInsecureHost = errors.New("plain http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https://")

// NormalizeHost validates an API origin and returns it in one form: lower
// case, without a trailing slash or /api/v2 suffix, without the scheme's
// default port and without a trailing dot on the host name, so that
// "https://CircleCI.com.:443/api/v2/" is "https://circleci.com" (and is
// recognised as CircleCI cloud). A port outside 1-65535 is refused.
func NormalizeHost(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", errors.New("the host is empty")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", errors.New("the host must be an origin such as https://circleci.com")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return "", ErrInsecureHost
		}
	default:
		return "", fmt.Errorf("the host must start with https:// (got scheme %q)", u.Scheme)
	}
	if u.User != nil {
		return "", errors.New("the host must not contain a user name or password")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("the host must not contain a query or fragment")
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/api/v2")
	if p != "" {
		return "", fmt.Errorf("the host must be an origin without a path (only a trailing /api/v2 is accepted), got path %q", u.Path)
	}
	scheme := strings.ToLower(u.Scheme)
	hostname := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".") // "circleci.com." is circleci.com
	if hostname == "" {
		return "", errors.New("the host must be an origin such as https://circleci.com")
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("the port must be between 1 and 65535, got %q", port)
		}
		port = strconv.Itoa(n) // ":0443" is :443
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = "" // the default port: https://circleci.com:443 is https://circleci.com
	}
	host := hostname
	if port != "" {
		host = net.JoinHostPort(hostname, port)
	} else if strings.Contains(hostname, ":") {
		host = "[" + hostname + "]" // IPv6
	}
	return scheme + "://" + host, nil
}

// DefaultAppHostFor returns the app host to use when none is configured:
// CircleCI cloud's web app for the cloud API, otherwise the same origin
// (CircleCI Server serves both from one host).
func DefaultAppHostFor(host string) string {
	if host == DefaultHost {
		return DefaultCloudAppHost
	}
	return host
}

// IsLoopback reports whether a host name is localhost or a loopback IP.
func IsLoopback(hostname string) bool {
	if strings.EqualFold(hostname, "localhost") {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}

// ValidateToken checks the shape of an API token without ever echoing it.
func ValidateToken(token string) error {
	if strings.TrimSpace(token) == "" {
		return errors.New("the API token is empty or only whitespace")
	}
	for _, r := range token {
		if r == '\n' || r == '\r' {
			return errors.New("the API token contains a line break; copy it again without the trailing newline")
		}
		if r < 0x20 || r == 0x7f {
			return errors.New("the API token contains a control character")
		}
	}
	if strings.TrimSpace(token) != token {
		return errors.New("the API token starts or ends with whitespace")
	}
	return nil
}
