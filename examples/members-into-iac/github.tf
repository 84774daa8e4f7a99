# CircleCI admins into a GitHub team. The username is vcs_login, not login (a
# CircleCI username): CircleCI's OpenAPI calls it "The login information for
# the user on the VCS". It is null when CircleCI gives none, and the member
# is skipped; CircleCI does not document what it holds for a user with no VCS
# identity, so use it only where your admins have GitHub accounts. With integrations/github, the resource is
#   resource "github_team_membership" "circleci_admins" { ... }
# with team_id set, and the same for_each and username.

locals {
  github_admins = {
    for id, m in local.members : id => m.vcs_login
    if m.role == "admin" && m.vcs_login != null
  }
}

resource "terraform_data" "github_team_membership" {
  for_each = local.github_admins

  input = {
    username = each.value
    role     = "member"
  }
}
