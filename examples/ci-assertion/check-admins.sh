#!/bin/sh
# Fails a CI job when a CircleCI organization has more admins than allowed.
#
#   MAX_ADMINS=3 ./check-admins.sh
#
# Environment:
#   MAX_ADMINS       the most admins allowed (default 2)
#   TF_CLI           the CLI to run: terraform (default), tofu, or a path
#   SKIP_INIT=1      skip `init`: the directory is initialized already, or the
#                    provider comes from dev_overrides (where init is not needed)
#   CIRCLECI_TOKEN, CIRCLECI_ORG_ID (or TF_VAR_organization_id), CIRCLECI_HOST
#                    read by the provider
#
# Exit status: 0 within the limit, 1 over it, 2 when the count could not be
# read. Only the CLI's exit codes and `output -json` are used: no jq.
set -eu

dir="$(cd "$(dirname "$0")" && pwd)"
cli="${TF_CLI:-terraform}"
max="${MAX_ADMINS:-2}"

fail() {
  echo "check-admins: $*" >&2
  exit 2
}

case "$max" in
  '' | *[!0-9]*) fail "MAX_ADMINS must be a whole number, not '$max'" ;;
esac
command -v "$cli" >/dev/null 2>&1 || fail "CLI '$cli' not found; set TF_CLI to terraform, tofu, or a path"

TF_IN_AUTOMATION=1
export TF_IN_AUTOMATION
if [ "${SKIP_INIT:-}" != 1 ]; then
  "$cli" -chdir="$dir" init -input=false -no-color >&2 || fail "'$cli init' failed (see above)"
fi
"$cli" -chdir="$dir" apply -auto-approve -input=false -no-color >&2 || fail "'$cli apply' failed (see above)"

# `output -json` prints a number as plain digits, e.g. 3.
count="$("$cli" -chdir="$dir" output -json admin_count)" || fail "'$cli output -json admin_count' failed"
count="$(printf '%s' "$count" | tr -d '[:space:]')"
case "$count" in
  '' | *[!0-9]*) fail "output admin_count is not a whole number: '$count'" ;;
esac

if [ "$count" -gt "$max" ]; then
  echo "check-admins: FAIL: the CircleCI organization has $count admins; at most $max are allowed (MAX_ADMINS)." >&2
  echo "check-admins: admins: $("$cli" -chdir="$dir" output -json admins 2>/dev/null || echo '?')" >&2
  exit 1
fi
echo "check-admins: OK: $count admin(s); at most $max are allowed."
