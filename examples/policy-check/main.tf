# Policy on who administers a CircleCI organization, in two strengths:
#   - check blocks WARN: plan and apply go on, and report every failed assertion;
#   - the precondition BLOCKS: plan stops when an admin is not on the allowlist.
# Run it on a schedule (or in CI) to be told when admin access drifts.

terraform {
  required_version = ">= 1.5.0" # check blocks: Terraform 1.5+, OpenTofu 1.6+

  required_providers {
    circleci = {
      source = "circleci-access/circleci"
    }
  }
}

# Configured from the environment: CIRCLECI_TOKEN, and CIRCLECI_ORG_ID for
# the default organization (CIRCLECI_HOST for CircleCI Server).
provider "circleci" {}

variable "organization_id" {
  description = "Organization to check (a UUID). Default: the provider's organization_id (CIRCLECI_ORG_ID)."
  type        = string
  default     = null
}

variable "max_admins" {
  description = "The most admins the organization may have."
  type        = number
  default     = 2
}

variable "admin_allowlist" {
  description = "Logins allowed to be organization admins."
  type        = set(string)
  default     = ["jdoe", "mchen"]
}

variable "enforce_allowlist" {
  description = "When true, an admin missing from admin_allowlist fails the plan instead of only warning."
  type        = bool
  default     = true
}

data "circleci_org_members" "admins" {
  organization_id = var.organization_id
  role            = "admin"
}

locals {
  unexpected_admins = sort(setsubtract(data.circleci_org_members.admins.logins, var.admin_allowlist))
}

# Warnings: reported on every plan and apply, never stop them.
check "admin_count" {
  assert {
    condition     = data.circleci_org_members.admins.admin_count <= var.max_admins
    error_message = "Too many CircleCI admins: ${data.circleci_org_members.admins.admin_count} (${join(", ", data.circleci_org_members.admins.logins)}); the policy allows at most ${var.max_admins}."
  }
}

check "admin_allowlist" {
  assert {
    condition     = length(local.unexpected_admins) == 0
    error_message = "CircleCI admins not on the allowlist: ${join(", ", local.unexpected_admins)}."
  }
}

# A hard stop: the plan fails while an unexpected admin exists.
resource "terraform_data" "admin_policy" {
  input = data.circleci_org_members.admins.logins

  lifecycle {
    precondition {
      condition     = !var.enforce_allowlist || length(local.unexpected_admins) == 0
      error_message = "Unexpected CircleCI admin(s): ${join(", ", local.unexpected_admins)}. Remove their admin role in CircleCI, or add them to admin_allowlist."
    }
  }
}

output "admins" {
  description = "Logins of the organization's admins."
  value       = data.circleci_org_members.admins.logins
}

output "admin_count" {
  description = "Number of admins in the organization."
  value       = data.circleci_org_members.admins.admin_count
}
