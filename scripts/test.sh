#!/usr/bin/env bash
# The README's test command (`make test`), also called by .ci/run:
#   1. go vet; the client and fake API tests under the race detector; then
#      every package's tests (units, fuzz seed corpora, the fake API's OpenAPI
#      conformance) with the acceptance tests run through OpenTofu;
#   2. the acceptance tests again through Terraform v1.5.7.
# Both CLIs, and OPA for the policy-as-code example, are built from the Go
# module proxy into .tools/bin on first use.
# A skipped test fails the run: every test here must actually execute.
#
# Options: --acc-only  run only the acceptance tests
#          --cli tofu|terraform|PATH  with --acc-only, which CLI (default: both):
#                                the pinned ones from .tools/bin, or any build
#                                by path, e.g. --cli "$(command -v terraform)"
#          --run REGEXP          go test -run filter
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

acc_only=0 clis="tofu terraform" run=""
while [ $# -gt 0 ]; do
  case "$1" in
    --acc-only) acc_only=1 ;;
    --cli) clis="$2"; shift ;;
    --run) run="$2"; shift ;;
    *) echo "test.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# The CLIs read no user configuration: a CLI config of our own (the build
# machines point TF_CLI_CONFIG_FILE at a file that does not exist, which makes
# OpenTofu print a warning that breaks terraform-plugin-testing), no
# checkpoint calls, nothing from the internet.
mkdir -p .tools
cliconfig="$root/.tools/test.tfrc"
printf '# CLI configuration for the test suite: intentionally empty.\n' >"$cliconfig"
export TF_CLI_CONFIG_FILE="$cliconfig" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_LOG TF_LOG_PATH TF_PLUGIN_CACHE_DIR

logs="$root/.tools/test-logs"
rm -rf "$logs" && mkdir -p "$logs"

summarize() { # log file -> the lines worth seeing
  grep -E '^(--- (FAIL|SKIP)|\s+--- (FAIL|SKIP)|ok |FAIL|panic:|PASS$)|_test\.go:[0-9]+:' "$1" || true
}

status=0
run_go_test() { # name, then env assignments and go test args
  local name="$1"; shift
  echo "== $name"
  if ! env "$@" >"$logs/$name.log" 2>&1; then status=1; fi
  summarize "$logs/$name.log"
}

if [ "$acc_only" = 0 ]; then
  echo "== go vet"
  go vet ./... || status=1
  # The client's shared state (the per-run cache, the pacer, the user-lookup
  # bound) and the fake API are concurrent: their tests also run under -race.
  run_go_test "race" go test -count=1 -race -v ./internal/circleci/ ./internal/fakeapi/
  run_go_test "race-logging" go test -count=1 -race -v -run '^TestTflogLogger' ./internal/provider/
fi

opa="$(scripts/tools.sh opa)"
for cli in $clis; do
  case "$cli" in
    */*) bin="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
         [ -x "$bin" ] || { echo "test.sh: $cli is not an executable" >&2; exit 2; } ;;
    *) bin="$(scripts/tools.sh "$cli")" ;;
  esac
  # Read all of it, then keep the first line: `| head -n 1` can kill the CLI
  # with SIGPIPE, which pipefail turns into a failed run.
  version="$("$bin" version)"
  version="${version%%$'\n'*}"
  acc_env=(TF_ACC=1 TF_ACC_TERRAFORM_PATH="$bin" OPA_PATH="$opa")
  if [[ "$version" == OpenTofu* ]]; then
    acc_env+=(TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp)
  fi
  if [ "$acc_only" = 0 ] && [ "$cli" = tofu ]; then
    # Every package, with the acceptance tests through OpenTofu.
    run_go_test "all-packages+acceptance-${cli##*/}" "${acc_env[@]}" go test -count=1 -v -timeout 40m ${run:+-run "$run"} ./...
  else
    run_go_test "acceptance-${cli##*/}" "${acc_env[@]}" go test -count=1 -v -timeout 40m -run "${run:-^TestAcc}" ./internal/provider/...
  fi
  echo "   ($version)"
done

passed=$(cat "$logs"/*.log | grep -cE '^\s*--- PASS' || true)
failed=$(cat "$logs"/*.log | grep -cE '^\s*--- FAIL' || true)
skipped=$(cat "$logs"/*.log | grep -cE '^\s*--- SKIP' || true)
acc_ran=$(cat "$logs"/*.log | grep -cE '^\s*--- PASS: TestAcc' || true)
if [ "$skipped" != 0 ]; then
  echo "test.sh: $skipped test(s) were skipped; every test must run (see .tools/test-logs)" >&2
  status=1
fi
if [ "$acc_ran" = 0 ]; then
  echo "test.sh: no acceptance test ran" >&2
  status=1
fi
[ "$failed" = 0 ] || status=1
echo "acceptance tests passed: $acc_ran (through: $clis); full logs in .tools/test-logs/"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
