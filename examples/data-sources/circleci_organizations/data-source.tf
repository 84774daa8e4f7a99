# Every organization and account the token's user belongs to.
data "circleci_organizations" "all" {}

# Only standalone CircleCI organizations: the ones whose members
# circleci_org_members can list.
data "circleci_organizations" "standalone" {
  vcs_type = "circleci"
}

output "organization_slugs" {
  value = [for o in data.circleci_organizations.all.organizations : o.slug]
}

output "standalone_organization_ids" {
  value = data.circleci_organizations.standalone.ids
}
