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

TERRAFORM_VERSION=v1.5.7
TFPLUGINDOCS_VERSION=v0.25.0
GORELEASER_VERSION=v2.15.1
GOLANGCI_LINT_VERSION=v2.15.0
OPA_VERSION=v1.22.3

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

# build NAME ESTIMATE DIR GO-ARGS...: `go GO-ARGS` in DIR, which builds NAME
# into .tools/bin, unless it is there. With --fetch-only the same command
# runs with -n instead: it downloads the modules and compiles nothing, so
# that CI can fetch every tool's modules while it compiles another.
build() {
  local name="$1" est="$2" dir="$3"; shift 3
  [ -x "$bin/$name" ] && return 0
  if $fetch_only; then
    (cd "$dir" && GOBIN="$bin" go "$1" -n "${@:2}" >/dev/null 2>&1) || true # the real build reports any failure
    return 0
  fi
  say "building $name into .tools/bin (first run only; takes about $est on 2 cores)..."
  local start=$SECONDS
  (cd "$dir" && GOBIN="$bin" go "$@") >&2
  say "built $name in $((SECONDS - start))s"
}

flags=(-trimpath -ldflags='-s -w')
case "$tool" in
  tofu)
    # OpenTofu's go.mod has a replace directive, which `go install pkg@version`
    # refuses; tools/opentofu is a tiny module that copies it.
    build tofu "5 minutes" "$root/tools/opentofu" build "${flags[@]}" -o "$bin/tofu" github.com/opentofu/opentofu/cmd/tofu
    ;;
  terraform)
    build terraform "3 minutes" "$root" install "${flags[@]}" "github.com/hashicorp/terraform@$TERRAFORM_VERSION"
    ;;
  tfplugindocs)
    build tfplugindocs "1 minute" "$root" install "${flags[@]}" "${fast[@]}" "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@$TFPLUGINDOCS_VERSION"
    ;;
  goreleaser)
    build goreleaser "4-6 minutes" "$root" install "${flags[@]}" "${fast[@]}" "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
    ;;
  golangci-lint)
    build golangci-lint "3 minutes" "$root" install "${flags[@]}" "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
    ;;
  opa)
    # Open Policy Agent, for the policy-as-code example's test.
    build opa "3 minutes" "$root" install "${flags[@]}" "${fast[@]}" "github.com/open-policy-agent/opa@$OPA_VERSION"
    ;;
  *)
    echo "tools: unknown tool $tool" >&2; exit 2 ;;
esac
$fetch_only || echo "$bin/$tool"
