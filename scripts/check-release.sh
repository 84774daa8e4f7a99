#!/usr/bin/env bash
# Checks the release end to end without signing or publishing anything:
#   1. `goreleaser check` accepts .goreleaser.yml;
#   2. a snapshot release builds (scripts/release-snapshot.sh) into dist/;
#   3. dist/ holds exactly the layout the Terraform Registry expects:
#      - one terraform-provider-circleci_<version>_<os>_<arch>.zip per platform;
#      - terraform-provider-circleci_<version>_SHA256SUMS listing every zip and
#        the _manifest.json, with correct checksums;
#      - the manifest declares plugin protocol 6.0;
#      - each zip holds terraform-provider-circleci_v<version>[.exe], and the
#        linux_amd64 one is a runnable ELF executable.
# Exits non-zero with a message naming the first problem found.
#
#   scripts/check-release.sh          # check, snapshot, verify
#   scripts/check-release.sh --single-target   # the same for this machine's
#       platform only (CI: minutes instead of a 13-target cross-compile; the
#       release workflow builds and checks every platform)
#   SKIP_SNAPSHOT=1 scripts/check-release.sh   # verify an existing dist/ only
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

name=terraform-provider-circleci
# Every platform .goreleaser.yml builds; keep in sync with its goos/goarch/ignore.
platforms=(
  darwin_amd64 darwin_arm64
  freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
  linux_386 linux_amd64 linux_arm linux_arm64
  windows_386 windows_amd64 windows_arm64
)

if [ "${1:-}" = --single-target ]; then
  platforms=("$(go env GOOS)_$(go env GOARCH)")
  export RELEASE_TARGET="${platforms[0]}"
fi

fail() { echo "check-release: FAIL: $*" >&2; exit 1; }
ok() { echo "check-release: ok: $*" >&2; }

goreleaser="${GORELEASER:-$("$root/scripts/tools.sh" goreleaser)}"

"$goreleaser" check || fail "goreleaser check rejected .goreleaser.yml"
ok "goreleaser check"

if [ -z "${SKIP_SNAPSHOT:-}" ]; then
  GORELEASER="$goreleaser" "$root/scripts/release-snapshot.sh" || fail "snapshot release failed"
fi
[ -d dist ] || fail "dist/ does not exist; run scripts/release-snapshot.sh"
cd dist

# The version is whatever goreleaser used: read it from the checksum file's name.
shopt -s nullglob
sums=( "$name"_*_SHA256SUMS )
[ "${#sums[@]}" -eq 1 ] || fail "expected exactly one ${name}_<version>_SHA256SUMS in dist/, found ${#sums[@]}: ${sums[*]}"
sumsfile="${sums[0]}"
version="${sumsfile#"${name}_"}"
version="${version%_SHA256SUMS}"
[ -n "$version" ] || fail "cannot read the version from $sumsfile"
ok "version $version"

# Archives: exactly one zip per platform, nothing else.
expected=()
for p in "${platforms[@]}"; do
  expected+=("${name}_${version}_${p}.zip")
done
zips=( *.zip )
for z in "${zips[@]}"; do
  [[ "$z" =~ ^${name}_${version//./\\.}_[a-z0-9]+_[a-z0-9]+\.zip$ ]] \
    || fail "archive $z does not match ${name}_<version>_<os>_<arch>.zip"
  printf '%s\n' "${expected[@]}" | grep -xF "$z" >/dev/null || fail "unexpected archive $z"
done
for e in "${expected[@]}"; do
  [ -f "$e" ] || fail "missing archive $e"
done
[ "${#zips[@]}" -eq "${#expected[@]}" ] || fail "expected ${#expected[@]} archives, found ${#zips[@]}"
ok "${#zips[@]} archives named ${name}_${version}_<os>_<arch>.zip"

# SHA256SUMS: lists every zip and the manifest, nothing else, all correct.
# GoReleaser hashes terraform-registry-manifest.json under its release name but
# only uploads it with the release, so in dist/ its line is checked against the
# source file.
manifest="${name}_${version}_manifest.json"
listed="$(awk '{print $2}' "$sumsfile" | sed 's/^\*//' | sort)"
want="$(printf '%s\n' "${expected[@]}" "$manifest" | sort)"
[ "$listed" = "$want" ] || fail "$sumsfile lists:
$listed
but should list:
$want"
grep -vF "  $manifest" "$sumsfile" | sha256sum --quiet --strict -c - \
  || fail "a checksum in $sumsfile is wrong"
src_manifest="$root/terraform-registry-manifest.json"
want_sum="$(sha256sum "$src_manifest" | awk '{print $1}')"
got_sum="$(awk -v f="$manifest" '$2 == f || $2 == "*" f {print $1}' "$sumsfile")"
[ "$got_sum" = "$want_sum" ] \
  || fail "$sumsfile has $got_sum for $manifest, but terraform-registry-manifest.json hashes to $want_sum"
ok "$sumsfile lists every archive and the manifest, checksums correct"

# Manifest: the registry reads protocol_versions to know which CLIs can use us.
if command -v jq >/dev/null 2>&1; then
  jq -e '.version == 1 and .metadata.protocol_versions == ["6.0"]' "$src_manifest" >/dev/null \
    || fail "terraform-registry-manifest.json does not declare {\"version\": 1, \"metadata\": {\"protocol_versions\": [\"6.0\"]}}: $(cat "$src_manifest")"
else
  [ "$(tr -d ' \t\r\n' <"$src_manifest")" = '{"version":1,"metadata":{"protocol_versions":["6.0"]}}' ] \
    || fail "terraform-registry-manifest.json does not declare protocol 6.0: $(cat "$src_manifest")"
fi
ok "$manifest (terraform-registry-manifest.json) declares protocol 6.0"

# Each archive holds the versioned binary.
for p in "${platforms[@]}"; do
  bin="${name}_v${version}"
  [[ "$p" == windows_* ]] && bin+=".exe"
  unzip -Z1 "${name}_${version}_${p}.zip" | grep -xF "$bin" >/dev/null \
    || fail "${name}_${version}_${p}.zip does not contain $bin (has: $(unzip -Z1 "${name}_${version}_${p}.zip" | tr '\n' ' '))"
done
ok "every archive contains ${name}_v${version}"

# The linux_amd64 binary is a static ELF executable that starts.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unzip -q "${name}_${version}_linux_amd64.zip" "${name}_v${version}" -d "$tmp"
binary="$tmp/${name}_v${version}"
[ "$(head -c 4 "$binary" | od -An -tx1 | tr -d ' \n')" = "7f454c46" ] \
  || fail "linux_amd64 binary is not an ELF file"
[ -x "$binary" ] || fail "linux_amd64 binary is not executable"
if command -v file >/dev/null 2>&1; then
  file "$binary" | grep 'ELF 64-bit LSB executable, x86-64.*statically linked' >/dev/null \
    || fail "linux_amd64 binary is not a static x86-64 executable: $(file -b "$binary")"
fi
if [ "$(uname -s)/$(uname -m)" = "Linux/x86_64" ]; then
  # Without the plugin handshake environment, go-plugin explains itself and
  # exits non-zero; that proves the binary starts.
  set +e
  out="$(timeout 20 "$binary" 2>&1 </dev/null)"
  rc=$?
  set -e
  [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -qi 'plugin' <<<"$out" \
    || fail "running the linux_amd64 binary gave exit $rc and: $out"
  ok "linux_amd64 binary runs (exit $rc: $(head -n1 <<<"$out"))"
fi
ok "linux_amd64 binary is a static ELF executable"

echo "check-release: PASS ($version, ${#zips[@]} archives)"
