# A hard stop: a postcondition on the data source fails the plan (exit
# code 1) while an admin is missing from the allowlist. This data source is
# read outside any check block, so a failed read fails the plan too; with
# enforce_allowlist = false it is not declared at all (count = 0), and
# nothing outside the check blocks reads CircleCI.

data "circleci_org_members" "admins" {
  count = var.enforce_allowlist ? 1 : 0

  organization_id = var.organization_id
  role            = "admin"

  lifecycle {
    postcondition {
      condition = length(local.allowlist) == 0 || alltrue([
        for m in self.members : contains(local.allowlist, lower(m.id))
      ])
      error_message = "Unexpected CircleCI admin(s): ${join(", ", [for m in self.members : "${m.login} (${m.id})" if !contains(local.allowlist, lower(m.id))])}. Remove their admin role in CircleCI, or add their IDs to admin_allowlist."
    }
  }
}

output "admin_count" {
  description = "Number of admins in the organization; null with enforce_allowlist = false."
  value       = one(data.circleci_org_members.admins[*].admin_count)
}
