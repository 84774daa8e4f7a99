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

data "circleci_org_access" "org" {}

locals {
  allowlist = toset([for id in var.admin_allowlist : lower(id)])
  # project_roles is null only with include_projects = false.
  project_admin_of = {
    for u in data.circleci_org_access.org.users : u.id => [
      for p in(u.project_roles == null ? [] : u.project_roles) : "${p.project_slug} via ${join(" and ", p.via)}" if p.role == "admin"
    ]
  }
  # Org admins and effective project admins, by id, with how they got it.
  admins = {
    for u in data.circleci_org_access.org.users : u.id => {
      login = u.login
      how   = u.org_role == "admin" ? ["org admin"] : local.project_admin_of[u.id]
    } if u.org_role == "admin" || length(local.project_admin_of[u.id]) > 0
  }
  unexpected_admins = sort([for id, a in local.admins : id if !contains(local.allowlist, lower(id))])
}

check "admins_on_allowlist" {
  assert {
    condition     = length(local.unexpected_admins) == 0
    error_message = "Admins not on the allowlist: ${join("; ", [for id in local.unexpected_admins : "${local.admins[id].login} (${id}: ${join(", ", local.admins[id].how)})"])}."
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
