# The effective view: org roles, groups, project grants, context restrictions
# and the organization's settings joined by CircleCI's rules. Key on ids:
# logins are not unique across identity providers.
data "circleci_org_access" "org" {}

# Everyone who is an org admin or an effective admin of at least one project.
output "admin_ids" {
  value = data.circleci_org_access.org.admin_ids
}

# Who may use each context, and who may replace its variables.
output "context_users" {
  value = {
    for c in data.circleci_org_access.org.contexts : c.id => {
      name        = c.name
      users       = c.user_ids
      editors     = c.editor_ids
      admins_only = c.admins_only # no group restriction: org admins only
      conditional = c.conditional # users may use it only when its expressions hold
    }
  }
}

# Who administers each project, by any route (org role, direct or group grant).
output "project_admins" {
  value = { for p in data.circleci_org_access.org.projects : p.id => p.admin_ids }
}

# Why each person may use each context.
output "context_reasons" {
  value = {
    for u in data.circleci_org_access.org.users : u.id => {
      for c in u.context_access : c.id => c.via
    } if length(u.context_access) > 0
  }
}

# Only org roles and groups: no project or context endpoint is called, and
# every attribute project grants could change (admin_ids, context users) is
# null rather than a shorter list.
data "circleci_org_access" "roles_only" {
  include_projects = false
  include_contexts = false
}
