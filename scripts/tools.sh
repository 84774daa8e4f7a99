#!/usr/bin/env bash
# Ensures a pinned tool exists in .tools/bin (git-ignored), building it from the
# Go module proxy when it is missing, and prints its absolute path.
#
#   scripts/tools.sh tofu|terraform|tfplugindocs|goreleaser|golangci-lint|opa
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

build() {
  local name="$1" est="$2"; shift 2
  say "building $name into .tools/bin (first run only; takes about $est on 2 cores)..."
  local start=$SECONDS
  "$@" >&2
  say "built $name in $((SECONDS - start))s"
}

tool="${1:?usage: scripts/tools.sh TOOL}"
case "$tool" in
  tofu)
    # OpenTofu's go.mod has a replace directive, which `go install pkg@version`
    # refuses; tools/opentofu is a tiny module that copies it.
    [ -x "$bin/tofu" ] || build tofu "5-8 minutes" \
      bash -c "cd '$root/tools/opentofu' && go build -trimpath -ldflags='-s -w' -o '$bin/tofu' github.com/opentofu/opentofu/cmd/tofu"
    ;;
  terraform)
    [ -x "$bin/terraform" ] || build terraform "5-8 minutes" \
      env GOBIN="$bin" go install -trimpath -ldflags="-s -w" "github.com/hashicorp/terraform@$TERRAFORM_VERSION"
    ;;
  tfplugindocs)
    [ -x "$bin/tfplugindocs" ] || build tfplugindocs "1-2 minutes" \
      env GOBIN="$bin" go install -trimpath -ldflags="-s -w" "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@$TFPLUGINDOCS_VERSION"
    ;;
  goreleaser)
    [ -x "$bin/goreleaser" ] || build goreleaser "3-6 minutes" \
      env GOBIN="$bin" go install -trimpath -ldflags="-s -w" "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
    ;;
  golangci-lint)
    [ -x "$bin/golangci-lint" ] || build golangci-lint "3-5 minutes" \
      env GOBIN="$bin" go install -trimpath -ldflags="-s -w" "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
    ;;
  opa)
    # Open Policy Agent, for the policy-as-code example's test.
    [ -x "$bin/opa" ] || build opa "3-5 minutes" \
      env GOBIN="$bin" go install -trimpath -ldflags="-s -w" "github.com/open-policy-agent/opa@$OPA_VERSION"
    ;;
  *)
    echo "tools: unknown tool $tool" >&2; exit 2 ;;
esac
echo "$bin/$tool"
