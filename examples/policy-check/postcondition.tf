# A hard stop: a postcondition on the data source fails the plan (exit
# code 1) while an admin is missing from the allowlist. Nothing is written
# to the state for it.

data "circleci_org_members" "admins" {
  organization_id = var.organization_id
  role            = "admin"

  lifecycle {
    postcondition {
      condition = !var.enforce_allowlist || length(local.allowlist) == 0 || alltrue([
        for login in self.logins : contains(local.allowlist, lower(login))
      ])
      error_message = "Unexpected CircleCI admin(s): ${join(", ", [for login in self.logins : login if !contains(local.allowlist, lower(login))])}. Remove their admin role in CircleCI, or add them to admin_allowlist."
    }
  }
}

output "admin_count" {
  description = "Number of admins in the organization."
  value       = data.circleci_org_members.admins.admin_count
}
