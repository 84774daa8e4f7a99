# Effective admin access, checked on every plan and apply: everyone who is an
# org admin OR an admin of any project (directly or through a group) must be
# on an allowlist. Counting org admins alone misses a viewer who administers
# the production project through a group.

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
  description = "Logins allowed to administer the organization or any of its projects."
  type        = set(string)
  default     = ["jdoe", "mchen", "RKowalski"]
}

data "circleci_org_access" "org" {}

locals {
  unexpected_admins = sort(setsubtract(data.circleci_org_access.org.admin_logins, var.admin_allowlist))
  how = {
    for u in data.circleci_org_access.org.users : u.login => (
      u.org_role == "admin" ? ["org admin"] : [for p in u.project_roles : "${p.project_slug} via ${join(" and ", p.via)}" if p.role == "admin"]
    )
  }
}

check "admins_on_allowlist" {
  assert {
    condition     = length(local.unexpected_admins) == 0
    error_message = "Admins not on the allowlist: ${join("; ", [for l in local.unexpected_admins : "${l} (${join(", ", local.how[l])})"])}."
  }
}

output "admin_logins" {
  description = "Org admins and effective project admins."
  value       = data.circleci_org_access.org.admin_logins
}

output "context_users" {
  description = "Who may use each context."
  value       = { for c in data.circleci_org_access.org.contexts : c.name => c.logins }
}
