#!/usr/bin/env bash
# `make generate` (and `make docs`): formats examples/ and renders docs/ from
# templates/ and examples/ with tfplugindocs, then validates docs/.
#
# tfplugindocs is given the provider schema as a file (--providers-schema), so
# it never downloads or runs a Terraform CLI of its own. The schema comes from
# `tofu providers schema -json` run against the freshly built provider through
# a dev_overrides CLI configuration (no init, no registry). tfplugindocs looks
# the provider up by its short name, so the schema's provider key
# (registry.opentofu.org/circleci-access/circleci) is renamed to "circleci".
#
# Works from a clean clone with only Go: OpenTofu and tfplugindocs are built
# from the Go module proxy into .tools/bin by scripts/tools.sh on first use.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { echo "generate: $*" >&2; }
die() { echo "generate: $*" >&2; exit 1; }

tofu="$(scripts/tools.sh tofu)"
tfplugindocs="$(scripts/tools.sh tfplugindocs)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/config"

say "building the provider"
# shellcheck source=scripts/dev-overrides.sh
. scripts/dev-overrides.sh
dev_overrides "$work"

say "formatting examples/"
"$tofu" fmt -recursive examples/

say "reading the provider's schema"
cat >"$work/config/main.tf" <<'TF'
terraform {
  required_providers {
    circleci = {
      source = "circleci-access/circleci"
    }
  }
}
TF
"$tofu" -chdir="$work/config" providers schema -json >"$work/schema.raw.json" 2>"$work/schema.err" ||
  { cat "$work/schema.err" >&2; die "'tofu providers schema -json' failed"; }

# The output is one line of JSON with a single provider; rename its key.
sed -E 's#^(\{"format_version":"[^"]*","provider_schemas":\{)"[^"]*/circleci-access/circleci":#\1"circleci":#' \
  "$work/schema.raw.json" >"$work/schema.json"
grep -q '"provider_schemas":{"circleci":' "$work/schema.json" ||
  die "unexpected schema JSON from tofu (no circleci-access/circleci provider key): $(head -c 200 "$work/schema.raw.json")"

say "rendering docs/ with tfplugindocs"
"$tfplugindocs" generate \
  --provider-name circleci \
  --rendered-provider-name CircleCI \
  --providers-schema "$work/schema.json"
"$tfplugindocs" validate \
  --provider-name circleci \
  --providers-schema "$work/schema.json"
say "done"
