# The effective view: org roles, groups, project grants and context
# restrictions joined by CircleCI's rules.
data "circleci_org_access" "org" {}

# Everyone who is an org admin or an effective admin of at least one project.
output "admin_logins" {
  value = data.circleci_org_access.org.admin_logins
}

# Who may use each context.
output "context_users" {
  value = { for c in data.circleci_org_access.org.contexts : c.name => c.logins }
}

# Who has more on a project than their org role, and how.
output "raised_project_roles" {
  value = {
    for u in data.circleci_org_access.org.users : u.login => [
      for p in u.project_roles : "${p.project_slug}: ${p.role} via ${join(", ", p.via)}"
    ] if length(u.project_roles) > 0
  }
}

# Only org roles and groups: no project or context endpoint is called.
data "circleci_org_access" "roles_only" {
  include_projects = false
  include_contexts = false
}
