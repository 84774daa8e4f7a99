# The groups of the provider's organization, each with its members.
data "circleci_groups" "all" {}

# Only the groups, without one members request per group.
data "circleci_groups" "names" {
  organization_id = "3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
  include_members = false
}

output "group_members" {
  value = { for g in data.circleci_groups.all.groups : g.name => g.members[*].login }
}

output "group_ids" {
  value = { for g in data.circleci_groups.names.groups : g.name => g.id }
}
