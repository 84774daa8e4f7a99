# Effective admin access, checked on every plan: everyone who is an org admin
# OR an admin of any project (directly or through a group) must be on an
# allowlist of user IDs. Counting org admins alone misses a viewer who
# administers the production project through a group. Run `plan` only: it
# writes no state.

terraform {
  required_version = ">= 1.5.0" # check blocks: Terraform 1.5+, OpenTofu 1.6+

  required_providers {
    circleci = {
      source  = "circleci-access/circleci"
      version = "~> 0.1"
    }
  }
}

# Configured from the environment: CIRCLECI_TOKEN, and CIRCLECI_ORG_ID for
# the default organization (CIRCLECI_HOST for CircleCI Server).
provider "circleci" {}

variable "admin_allowlist" {
  description = "CircleCI user IDs (UUIDs) allowed to administer the organization or any of its projects. Empty: nobody is (every admin is reported). IDs, not logins: logins are not unique across identity providers."
  type        = set(string)
  default     = []
}

variable "protected_project_id" {
  description = "A project (its ID) that at most max_project_admins people may administer, by any route. null: not checked."
  type        = string
  default     = null
}

variable "max_project_admins" {
  description = "The most people who may administer protected_project_id, org admins included."
  type        = number
  default     = 3
}

data "circleci_org_access" "org" {}

locals {
  allowlist = toset([for id in var.admin_allowlist : lower(id)])
  # project_roles is null only with include_projects = false.
  project_admin_of = {
    for u in data.circleci_org_access.org.users : u.id => [
      for p in(u.project_roles == null ? [] : u.project_roles) : "${p.project_slug} via ${join(" and ", p.via)}" if p.role == "admin" || contains(data.circleci_org_access.org.unrecognized_roles, p.role)
    ]
  }
  users = { for u in data.circleci_org_access.org.users : u.id => u }
  # The provider's effective admins (org admins, effective project admins,
  # and holders of a role it does not recognise, counted as admin), by id,
  # with how they got it.
  admins = {
    for id in data.circleci_org_access.org.admin_ids : id => {
      login = local.users[id].login
      how = (local.users[id].org_role == "admin" ? ["org admin"] :
        contains(data.circleci_org_access.org.unrecognized_roles, coalesce(local.users[id].org_role, "-")) ?
        ["org role ${local.users[id].org_role}, which the provider does not recognise and counts as admin"] :
      local.project_admin_of[id])
    }
  }
  # Who administers the protected project by any route: one expression over
  # circleci_org_access's projects (org admins included). A project ID the
  # organization does not have fails the check rather than passing.
  projects           = data.circleci_org_access.org.projects == null ? [] : data.circleci_org_access.org.projects
  protected_projects = [for p in local.projects : p if p.id == var.protected_project_id]
  protected_project  = length(local.protected_projects) == 1 ? local.protected_projects[0] : null
  unexpected_admins  = sort([for id, a in local.admins : id if !contains(local.allowlist, lower(id))])
}

check "admins_on_allowlist" {
  assert {
    condition     = length(local.unexpected_admins) == 0
    error_message = "Admins not on the allowlist: ${join("; ", [for id in local.unexpected_admins : "${local.admins[id].login} (${id}: ${join(", ", local.admins[id].how)})"])}."
  }
}

check "project_admins" {
  assert {
    condition     = var.protected_project_id == null ? true : (local.protected_project == null ? false : length(local.protected_project.admin_ids) <= var.max_project_admins)
    error_message = local.protected_project == null ? "Project ${coalesce(var.protected_project_id, "-")} is not a project of the organization." : "Project ${local.protected_project.name} has ${length(local.protected_project.admin_ids)} admins by any route (${join(", ", local.protected_project.admin_logins)}); the policy allows at most ${var.max_project_admins}."
  }
}

output "admin_ids" {
  description = "Org admins and effective project admins, by user ID."
  value       = sort(keys(local.admins))
}

output "admin_logins" {
  description = "The same, by login (for reading)."
  value       = data.circleci_org_access.org.admin_logins
}

output "context_users" {
  description = "Who may use each context, by login."
  value       = { for c in data.circleci_org_access.org.contexts : c.name => c.logins }
}

output "context_reasons" {
  description = "Why each person may use each context, by user ID and context name: org-admin, all-members, group:<name>, project:<name>."
  value = {
    for u in data.circleci_org_access.org.users : u.id => { for c in(u.context_access == null ? [] : u.context_access) : c.name => c.via } if(u.context_access == null ? false : length(u.context_access) > 0)
  }
}
