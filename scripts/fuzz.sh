#!/usr/bin/env bash
# Runs each fuzz target of internal/circleci in turn for a bounded time.
# Usage: scripts/fuzz.sh [duration]   (default 30s; any -fuzztime value)
# Exits non-zero as soon as a target fails; a failing input is written to
# internal/circleci/testdata/fuzz/<Target>/ for `go test` to replay.
set -euo pipefail

t="${1:-30s}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

targets=(FuzzDecodePage FuzzDecodeOrganization FuzzErrorDecode FuzzParseRetryAfter FuzzPagination FuzzDecodeAccessPages)

# Fail if a target was added without being listed here.
found="$(grep -ho '^func Fuzz[A-Za-z0-9_]*' internal/circleci/*_test.go | sed 's/^func //' | sort)"
listed="$(printf '%s\n' "${targets[@]}" | sort)"
if [ "$found" != "$listed" ]; then
  echo "fuzz.sh: the target list is out of date; found:" $found >&2
  exit 2
fi

for target in "${targets[@]}"; do
  echo "==> $target ($t)"
  go test ./internal/circleci -run '^$' -fuzz "^${target}\$" -fuzztime "$t"
done
echo "fuzz.sh: all targets passed"
