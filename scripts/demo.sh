#!/usr/bin/env bash
# The README's first command (`make demo`): builds the provider, finds a CLI,
# and runs `apply` on examples/demo through a temporary CLI configuration with
# dev_overrides (no registry access).
#   - Without CIRCLECI_TOKEN: against the bundled fake CircleCI API on 127.0.0.1.
#   - With CIRCLECI_TOKEN and CIRCLECI_ORG_ID: against real CircleCI.
# The CLI: DEMO_CLI if set, else tofu or terraform on PATH, else OpenTofu
# built from the Go module proxy into .tools/bin (first run: several minutes).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

work="$(mktemp -d)"
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "demo: building the provider..."
# shellcheck source=scripts/dev-overrides.sh
. scripts/dev-overrides.sh
dev_overrides "$work"

cli="${DEMO_CLI:-}"
if [ -z "$cli" ]; then
  if command -v tofu >/dev/null; then cli="$(command -v tofu)"
  elif command -v terraform >/dev/null; then cli="$(command -v terraform)"
  else cli="$(scripts/tools.sh tofu)"
  fi
fi
version="$("$cli" version)"
echo "demo: using ${version%%$'\n'*} ($cli)"


if [ -n "${CIRCLECI_TOKEN:-}" ]; then
  if [ -z "${CIRCLECI_ORG_ID:-}" ]; then
    echo "demo: CIRCLECI_TOKEN is set but CIRCLECI_ORG_ID is not; set both to run against real CircleCI, or neither for the fake API." >&2
    exit 2
  fi
  echo "demo: running against real CircleCI (${CIRCLECI_HOST:-https://circleci.com}), organization $CIRCLECI_ORG_ID"
  export TF_VAR_organization_id="$CIRCLECI_ORG_ID"
else
  echo "demo: no CIRCLECI_TOKEN: starting the bundled fake CircleCI API with demo data"
  go build -o "$work/fake-circleci" ./cmd/fake-circleci
  "$work/fake-circleci" -addr 127.0.0.1:0 -url-file "$work/url" &
  fake_pid=$!
  for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
  [ -s "$work/url" ] || { echo "demo: the fake API did not start" >&2; exit 1; }
  export CIRCLECI_HOST="$(cat "$work/url")"
  export CIRCLECI_TOKEN="demo-token-not-a-secret"
  unset CIRCLECI_APP_HOST CIRCLECI_ORG_ID
  # acme-platform: the demo fixture's standalone organization, 25 members over
  # 3 pages, 3 admins (internal/fakeapi/testdata/demo.json).
  export TF_VAR_organization_id="a8d449aa-dbf3-4d64-9eb9-0982ba339340"
fi

# The demo calls the guardrails module by its relative path (../modules/guardrails).
mkdir -p "$work/demo" "$work/modules"
cp examples/demo/*.tf "$work/demo/"
cp -R examples/modules/guardrails "$work/modules/"
color=""
[ -t 1 ] || color="-no-color"
# `get` installs the module; dev_overrides stand for init's provider install.
"$cli" -chdir="$work/demo" get $color >/dev/null
"$cli" -chdir="$work/demo" apply -auto-approve -input=false $color
