# Break-glass policy for a CircleCI organization, named by its slug (no pasted UUID):
#   - the break-glass account is still a member, and an admin;
#   - no one outside the allowlist is a member.
# People are named by CircleCI user ID (logins are not unique across identity
# providers, and can change). A failed assertion is a warning on every plan;
# run `plan` on a schedule (or in CI) to be told when access drifts. `plan`
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

# Configured from the environment: CIRCLECI_TOKEN (CIRCLECI_HOST for CircleCI Server).
provider "circleci" {}

variable "organization_slug" {
  description = "The organization's slug, e.g. \"circleci/AcmeStd\" or \"gh/acme\" (circleci_organizations lists them)."
  type        = string
}

variable "break_glass_id" {
  description = "CircleCI user ID (a UUID) of the emergency account that must stay an organization admin."
  type        = string
}

variable "member_allowlist" {
  description = "CircleCI user IDs allowed to be members of the organization (compared without regard to case). The break-glass account needs no entry."
  type        = set(string)
}

data "circleci_organization" "this" {
  slug = var.organization_slug
}

data "circleci_org_member" "break_glass" {
  organization_id = data.circleci_organization.this.id
  id              = var.break_glass_id
}

# The same listing as the lookup above: one sweep of the organization per run.
data "circleci_org_members" "all" {
  organization_id = data.circleci_organization.this.id
}

locals {
  organization = data.circleci_organization.this.slug
  break_glass  = data.circleci_org_member.break_glass
  allowed      = toset([for id in concat(tolist(var.member_allowlist), [var.break_glass_id]) : lower(id)])
  outsiders    = [for m in data.circleci_org_members.all.members : "${m.login} (${m.id})" if !contains(local.allowed, lower(m.id))]
}

check "break_glass" {
  assert {
    condition = local.break_glass.found && local.break_glass.role == "admin"
    error_message = (local.break_glass.found
      ? "The break-glass account ${local.break_glass.login} (${var.break_glass_id}) is a ${local.break_glass.role} of ${local.organization}, not an admin."
    : "The break-glass account ${var.break_glass_id} is not a member of ${local.organization}.")
  }

  assert {
    condition     = length(local.outsiders) == 0
    error_message = "Members of ${local.organization} outside the allowlist: ${join(", ", local.outsiders)}."
  }
}

output "organization_id" {
  value = data.circleci_organization.this.id
}

output "break_glass_role" {
  value = local.break_glass.role
}

output "members_outside_allowlist" {
  value = local.outsiders
}
