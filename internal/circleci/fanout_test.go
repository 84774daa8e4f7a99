package circleci

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestEscapeProjectSlug(t *testing.T) {
	for _, tc := range []struct {
		slug, want string
		ok         bool
	}{
		{"gh/acme/api", "gh/acme/api", true},
		{"circleci/34R3kN5RtfEE7v4sa4nWAU/4nYdoKGkb6RXn7JGt8SQtg", "circleci/34R3kN5RtfEE7v4sa4nWAU/4nYdoKGkb6RXn7JGt8SQtg", true},
		{"bb/acme/my repo", "bb/acme/my%20repo", true},
		{"gh/acme/a?b#c", "gh/acme/a%3Fb%23c", true},
		{"gh/acme", "", false},
		{"gh/acme/api/extra", "", false},
		{"gh//api", "", false},
		{"", "", false},
	} {
		got, err := EscapeProjectSlug(tc.slug)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("EscapeProjectSlug(%q) = %q, %v; want %q, ok %v", tc.slug, got, err, tc.want, tc.ok)
		}
	}
}

func TestFanOutReturnsEveryKeyOrTheError(t *testing.T) {
	keys := []int{1, 2, 3, 4, 5}
	got, err := FanOut(context.Background(), keys, func(_ context.Context, k int) (string, error) { return fmt.Sprint(k * 10), nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(keys) || got[3] != "30" {
		t.Errorf("got %v, want every key mapped to k*10", got)
	}
	boom := errors.New("boom")
	got, err = FanOut(context.Background(), keys, func(_ context.Context, k int) (string, error) {
		if k == 4 {
			return "", boom
		}
		return "ok", nil
	})
	if !errors.Is(err, boom) || got != nil {
		t.Errorf("got %v, %v; want nil and the error (never a map with a key missing)", got, err)
	}
}
