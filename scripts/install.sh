#!/usr/bin/env bash
# `make install`: builds the provider from this checkout, or unpacks a
# release archive, into a filesystem mirror that `terraform init` and
# `tofu init` install it from, under the version it declares. No
# dev_overrides: init, the lock file and version constraints work as with
# the Registry.
#
#   scripts/install.sh                     # build, into ~/.terraform.d/plugins
#   scripts/install.sh --mirror DIR        # another mirror directory
#   scripts/install.sh --version 0.1.0     # the version to install as (default: VERSION, else the
#                                          # newest version heading of CHANGELOG.md)
#   scripts/install.sh --zip FILE.zip      # a release archive instead of a build
#   scripts/install.sh --print-cli-config  # also print a CLI configuration that uses DIR
#
# The layout is the unpacked one of a filesystem mirror, once per registry
# host, so that the short source "circleci-access/circleci" resolves under
# Terraform (registry.terraform.io) and OpenTofu (registry.opentofu.org):
#   DIR/registry.terraform.io/circleci-access/circleci/VERSION/OS_ARCH/terraform-provider-circleci_vVERSION
#   DIR/registry.opentofu.org/circleci-access/circleci/VERSION/OS_ARCH/terraform-provider-circleci_vVERSION
# Terraform searches ~/.terraform.d/plugins without any configuration (an
# "implied local mirror"); for another directory, or to keep the CLI from
# ever asking a registry for this provider, use the configuration that
# --print-cli-config prints (README, "Install").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

namespace=circleci-access
type=circleci
mirror="${MIRROR:-$HOME/.terraform.d/plugins}"
version="${VERSION:-$(sed -n 's/^## \[\([0-9][^]]*\)\].*/\1/p' CHANGELOG.md | head -n 1)}"
zip="" print_config=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mirror) mirror="$2"; shift ;;
    --version) version="$2"; shift ;;
    --zip) zip="$2"; shift ;;
    --print-cli-config) print_config=1 ;;
    *) echo "install: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# A release tag is vX.Y.Z; the mirror's directory is X.Y.Z.
version="${version#v}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "install: version '$version' is not a semantic version such as 0.1.0 (set VERSION=…); init matches it against required_providers" >&2
  exit 2
fi
mkdir -p "$mirror"
mirror="$(cd "$mirror" && pwd)"
platform="$(go env GOOS)_$(go env GOARCH)"
binary="terraform-provider-${type}_v${version}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -n "$zip" ]; then
  [ -f "$zip" ] || { echo "install: no such archive: $zip" >&2; exit 2; }
  case "$(basename "$zip")" in
    "terraform-provider-${type}_${version}_${platform}.zip") ;;
    *) echo "install: $zip is not terraform-provider-${type}_${version}_${platform}.zip (this machine's platform and --version)" >&2; exit 2 ;;
  esac
  (cd "$work" && unzip -q "$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")")
  [ -x "$work/$binary" ] || [ -f "$work/$binary.exe" ] || { echo "install: $zip holds no $binary" >&2; exit 2; }
else
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$work/$binary" .
fi

for host in registry.terraform.io registry.opentofu.org; do
  dir="$mirror/$host/$namespace/$type/$version/$platform"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$work"/terraform-provider-"$type"* "$dir/"
  echo "install: $dir/$binary" >&2
done

if [ "$print_config" = 1 ]; then
  cat <<CONF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/$namespace/$type", "registry.opentofu.org/$namespace/$type"]
  }
  direct {
    exclude = ["registry.terraform.io/$namespace/$type", "registry.opentofu.org/$namespace/$type"]
  }
}
CONF
fi
