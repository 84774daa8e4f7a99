# Warnings. Each check block reads CircleCI through its own scoped data
# source, so a failed read (an expired token, CircleCI down) is a warning
# too, and never stops the plan or apply.

check "admin_count" {
  data "circleci_org_members" "admins_to_count" {
    organization_id = var.organization_id
    role            = "admin"
  }

  assert {
    condition     = data.circleci_org_members.admins_to_count.admin_count <= var.max_admins
    error_message = "Too many CircleCI admins: ${data.circleci_org_members.admins_to_count.admin_count} (${join(", ", data.circleci_org_members.admins_to_count.logins)}); the policy allows at most ${var.max_admins}."
  }
}

check "admin_allowlist" {
  data "circleci_org_members" "admins_to_allow" {
    organization_id = var.organization_id
    role            = "admin"
  }

  assert {
    condition = length(local.allowlist) == 0 || alltrue([
      for login in data.circleci_org_members.admins_to_allow.logins : contains(local.allowlist, lower(login))
    ])
    error_message = "CircleCI admins not on the allowlist: ${join(", ", [for login in data.circleci_org_members.admins_to_allow.logins : login if !contains(local.allowlist, lower(login))])}."
  }
}
