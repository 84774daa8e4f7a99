# Every member of an organization, with their role.
data "circleci_org_members" "all" {
  organization_id = "3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
}

# Only the admins. Without organization_id, the provider's organization_id
# (or CIRCLECI_ORG_ID) is used.
data "circleci_org_members" "admins" {
  role = "admin"
}

# With each member's display name and VCS login, from one user lookup per
# member (at most the provider's max_concurrency at a time).
data "circleci_org_members" "detailed" {
  role                 = "admin"
  include_user_details = true
}

output "admin_names" {
  value = { for m in data.circleci_org_members.detailed.members : m.login => m.name }
}

output "members_by_role" {
  value = {
    for m in data.circleci_org_members.all.members : m.role => m.login...
  }
}

output "admins" {
  value = data.circleci_org_members.admins.logins
}

output "admin_count" {
  # admin_count counts the whole organization, whatever role is set to.
  value = data.circleci_org_members.all.admin_count
}
