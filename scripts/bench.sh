#!/usr/bin/env bash
# Organization-scale benchmarks, `make bench`. Builds the provider,
# the fake API command and OpenTofu (scripts/tools.sh), runs package
# provider's Go benchmarks and tools/bench/cmd/benchreport, and prints one
# Markdown table: scenario, measured, floor, ratio, target, result, notes.
# Floors are measured in the same run (or defined by the scenario, as stated
# in the notes). A missed target is marked **MISS** in the table and does not
# fail the run; the exit status is non-zero only if something crashed.
#
# Environment: BENCH_ROUNDS (default 5) repetitions of the timed reads; the
# fastest is kept, since noise on a shared machine only adds time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${BENCH_ROUNDS:-5}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "bench: building the provider, the fake API and the report..." >&2
go build -o "$work/terraform-provider-circleci" .
go build -o "$work/fake-circleci" ./cmd/fake-circleci
go build -o "$work/benchreport" ./tools/bench/cmd/benchreport
tofu="$(scripts/tools.sh tofu)"

# The CLI reads no user configuration (benchreport writes its own
# dev_overrides configuration for each run).
unset TF_LOG TF_LOG_PATH TF_PLUGIN_CACHE_DIR TF_CLI_CONFIG_FILE
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

echo "bench: go test -bench (client + mapper on 10,000 members at 20 ms; the mapper alone)..." >&2
BENCH_FAKE_BIN="$work/fake-circleci" go test -count=1 -run '^$' -bench '^(BenchmarkOrgScaleRead|BenchmarkMembersToModel)$' \
  -benchtime "${rounds}x" -benchmem -timeout 10m ./internal/provider/ | tee "$work/gobench.txt" >&2

echo "bench: scenarios..." >&2
"$work/benchreport" -fake-bin "$work/fake-circleci" -provider-bin "$work/terraform-provider-circleci" \
  -tofu "$tofu" -rounds "$rounds" -gobench "$work/gobench.txt"
