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
# It runs `plan -detailed-exitcode` only, and decides by its exit code, never
# by message text: main.tf plans a change only when the rule is broken. No
# state is written. Exit status: 0 within the limit, 1 over it, 2 when the
# count could not be read (the CLI's own error is printed above).
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

# plan -detailed-exitcode: 0 no changes (the rule holds), 2 a change (the
# rule is broken: terraform_data.too_many_admins), 1 an error (the count
# could not be read).
status=0
"$cli" -chdir="$dir" plan -input=false -no-color -lock=false -detailed-exitcode -var "max_admins=$max" >&2 || status=$?
case "$status" in
  0)
    echo "check-admins: OK: at most $max admin(s)."
    exit 0
    ;;
  2)
    echo "check-admins: FAIL: the CircleCI organization has more than $max admins (MAX_ADMINS); the plan above lists them." >&2
    exit 1
    ;;
  *) fail "'$cli plan' failed with exit status $status (see above): the admins could not be counted" ;;
esac
