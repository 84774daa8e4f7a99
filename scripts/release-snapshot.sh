#!/usr/bin/env bash
# Builds the release archives locally, unsigned and unpublished, into dist/
# (git-ignored), exactly as .goreleaser.yml would for a tag: every OS/arch the
# Terraform Registry serves, zip archives, SHA256SUMS and the registry manifest.
#
#   scripts/release-snapshot.sh [extra goreleaser flags]
#
# The version is a snapshot one (e.g. 0.0.0-SNAPSHOT-<commit>); nothing is signed
# or uploaded, so neither GPG_FINGERPRINT nor GITHUB_TOKEN is needed.
# 13 targets: about 15 minutes on 2 busy shared cores with a cold build cache
# (measured); much faster on a CI runner or with a warm cache.
#
# RELEASE_TARGET=linux_amd64 builds that one target only, from the same
# configuration (a copy whose build lists only that target), for CI's quick
# release check; the release workflow always builds every target.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

goreleaser="${GORELEASER:-$("$root/scripts/tools.sh" goreleaser)}"

config=.goreleaser.yml
if [ -n "${RELEASE_TARGET:-}" ]; then
  config="$(mktemp --suffix=.yml)"
  trap 'rm -f "$config"' EXIT
  # builds[0].targets replaces the goos/goarch matrix.
  sed "s|^    binary: |    targets: [\"$RELEASE_TARGET\"]\n    binary: |" .goreleaser.yml >"$config"
  [ "$(grep -c '^    targets: ' "$config")" = 1 ] || { echo "release-snapshot: could not restrict the build to $RELEASE_TARGET" >&2; exit 1; }
fi

start=$SECONDS
"$goreleaser" release --snapshot --clean --skip=sign,publish -f "$config" "$@"
echo "release-snapshot: archives in dist/ after $((SECONDS - start))s" >&2
