data "circleci_organization" "acme" {
  slug = "circleci/AcmeStd"
}

# One member by login (or id, or email; exactly one of them).
data "circleci_org_member" "break_glass" {
  organization_id = data.circleci_organization.acme.id
  login           = "break-glass"
}

# Not found is not an error: assert on found.
data "circleci_org_member" "contractor" {
  organization_id = data.circleci_organization.acme.id
  email           = "contractor@example.com"
}

check "break_glass_is_admin" {
  assert {
    condition     = data.circleci_org_member.break_glass.found && data.circleci_org_member.break_glass.role == "admin"
    error_message = "The break-glass account is not an admin of ${data.circleci_organization.acme.slug}."
  }
}

check "contractor_offboarded" {
  assert {
    condition     = !data.circleci_org_member.contractor.found
    error_message = "The contractor is still a member of ${data.circleci_organization.acme.slug}, as ${coalesce(data.circleci_org_member.contractor.login, "?")}."
  }
}
