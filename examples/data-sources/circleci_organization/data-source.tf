# An organization by its slug: no pasted UUID.
data "circleci_organization" "acme" {
  slug = "circleci/AcmeStd" # or "gh/acme", "bb/acme"
}

# The same organization by id.
data "circleci_organization" "by_id" {
  id = "3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
}

# Its members, by the id the slug resolved to.
data "circleci_org_members" "acme" {
  organization_id = data.circleci_organization.acme.id
}

output "acme" {
  value = {
    id       = data.circleci_organization.acme.id
    name     = data.circleci_organization.acme.name
    vcs_type = data.circleci_organization.acme.vcs_type
  }
}
