# CircleCI admins into a GitHub team. The GitHub username is vcs_login, not
# login (a CircleCI username); it is null for a member without a linked
# GitHub account, who is skipped. With integrations/github, the resource is
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
