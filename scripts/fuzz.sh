#!/usr/bin/env bash
# Runs each fuzz target (the client's decoders, and the provider's state
# encoding) in turn for a bounded time.
# Usage: scripts/fuzz.sh [duration]   (default 30s; any -fuzztime value)
# Exits non-zero as soon as a target fails; a failing input is written to
# <package>/testdata/fuzz/<Target>/ for `go test` to replay.
set -euo pipefail

t="${1:-30s}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

targets=(
  internal/circleci:FuzzDecodePage internal/circleci:FuzzDecodeOrganization internal/circleci:FuzzErrorDecode
  internal/circleci:FuzzParseRetryAfter internal/circleci:FuzzPagination internal/circleci:FuzzDecodeAccessPages
  internal/provider:FuzzStateEncoding
)

# Fail if a target was added without being listed here.
found="$(grep -o '^func Fuzz[A-Za-z0-9_]*' internal/*/*_test.go | sed 's|/[^/]*_test.go:func |:|' | sort)"
listed="$(printf '%s\n' "${targets[@]}" | sort)"
if [ "$found" != "$listed" ]; then
  echo "fuzz.sh: the target list is out of date; found:" $found >&2
  exit 2
fi

for entry in "${targets[@]}"; do
  pkg="${entry%%:*}" target="${entry#*:}"
  echo "==> $pkg $target ($t)"
  go test "./$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$t"
done
echo "fuzz.sh: all targets passed"
