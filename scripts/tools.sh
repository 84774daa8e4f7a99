#!/usr/bin/env bash
# Ensures a pinned tool exists in .tools/bin (git-ignored), building it from the
# Go module proxy when it is missing, and prints its absolute path.
#
#   scripts/tools.sh [--fetch-only] tofu|terraform|tfplugindocs|goreleaser|golangci-lint|opa
#
# Nothing here downloads a prebuilt binary: every tool is compiled from source
# with the local Go toolchain, so it works on a machine that has only Go.
# Without symbol tables and DWARF (-s -w): nobody debugs these binaries, and
# the links are faster.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
mkdir -p "$bin"

# Each tool is pinned in its own module, tools/<tool>/go.mod, with a `tool`
# directive: dependency bots see the versions there, and `go build` inside that
# module resolves exactly the versions `go install tool@version` would.
say() { echo "tools: $*" >&2; }

fetch_only=false
if [ "${1:-}" = --fetch-only ]; then
  fetch_only=true
  shift
fi
tool="${1:?usage: scripts/tools.sh [--fetch-only] TOOL}"

# Tools that only run for seconds (docs, release, OPA's policy test) are
# compiled without optimisation, which makes their builds about a quarter
# shorter; the CLIs the acceptance tests run hundreds of times and the
# linter are optimised.
fast=(-gcflags='all=-N -l')

# build NAME ESTIMATE PACKAGE [GO-FLAGS...]: `go build` of PACKAGE inside
# tools/NAME (its pinned module) into .tools/bin/NAME, unless it is there.
# With --fetch-only the same command runs with -n instead: it downloads the
# modules and compiles nothing, so that CI can fetch every tool's modules
# while it compiles another.
build() {
  local name="$1" est="$2" pkg="$3"; shift 3
  local dir="$root/tools/$name"
  [ -x "$bin/$name" ] && return 0
  if $fetch_only; then
    (cd "$dir" && go build -n "$@" -o "$bin/$name" "$pkg" >/dev/null 2>&1) || true # the real build reports any failure
    return 0
  fi
  say "building $name ($(cd "$dir" && go list -m -f '{{.Version}}' "$(go list -f '{{.Module.Path}}' "$pkg")")) into .tools/bin (first run only; takes about $est on 2 cores)..."
  local start=$SECONDS
  (cd "$dir" && go build "$@" -o "$bin/$name" "$pkg") >&2
  say "built $name in $((SECONDS - start))s"
}

flags=(-trimpath -ldflags='-s -w')
case "$tool" in
  tofu)
    # OpenTofu's go.mod has a replace directive, which `go install pkg@version`
    # refuses; tools/tofu copies it.
    build tofu "5 minutes" github.com/opentofu/opentofu/cmd/tofu "${flags[@]}"
    ;;
  terraform)
    build terraform "3 minutes" github.com/hashicorp/terraform "${flags[@]}"
    ;;
  tfplugindocs)
    build tfplugindocs "1 minute" github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs "${flags[@]}" "${fast[@]}"
    ;;
  goreleaser)
    build goreleaser "4-6 minutes" github.com/goreleaser/goreleaser/v2 "${flags[@]}" "${fast[@]}"
    ;;
  golangci-lint)
    build golangci-lint "3 minutes" github.com/golangci/golangci-lint/v2/cmd/golangci-lint "${flags[@]}"
    ;;
  opa)
    # Open Policy Agent, for the policy-as-code example's test.
    build opa "3 minutes" github.com/open-policy-agent/opa "${flags[@]}" "${fast[@]}"
    ;;
  *)
    echo "tools: unknown tool $tool" >&2; exit 2 ;;
esac
$fetch_only || echo "$bin/$tool"
