# Warnings. Each check block reads CircleCI through its own scoped data
# source, so a failed read (an expired token, CircleCI down) is a warning
# too, and never stops the plan.
#
# Known CLI behaviour of scoped data sources (hashicorp/terraform#35226 and
# #36536): plan shows them in full, every member included, and
# `plan -detailed-exitcode` returns 2 on every run. In CI, decide by the
# postcondition (postcondition.tf) or by examples/ci-assertion instead.

check "admin_count" {
  data "circleci_org_members" "admins_to_count" {
    organization_id = var.organization_id
    role            = "admin"
  }

  assert {
    condition     = data.circleci_org_members.admins_to_count.admin_count <= var.max_admins
    error_message = "Too many CircleCI admins: ${data.circleci_org_members.admins_to_count.admin_count} (${join(", ", [for m in data.circleci_org_members.admins_to_count.members : "${m.login} (${m.id})"])}); the policy allows at most ${var.max_admins}."
  }
}

check "admin_allowlist" {
  data "circleci_org_members" "admins_to_allow" {
    organization_id = var.organization_id
    role            = "admin"
  }

  assert {
    condition = length(local.allowlist) == 0 || alltrue([
      for m in data.circleci_org_members.admins_to_allow.members : contains(local.allowlist, lower(m.id))
    ])
    error_message = "CircleCI admins not on the allowlist: ${join(", ", [for m in data.circleci_org_members.admins_to_allow.members : "${m.login} (${m.id})" if !contains(local.allowlist, lower(m.id))])}."
  }
}
