# Policy on who administers a CircleCI organization, in two strengths:
#   - checks.tf WARNS: check blocks report every failed assertion, and plan
#     goes on (even when CircleCI cannot be read at all);
#   - postcondition.tf STOPS: the plan fails while an admin is missing from
#     the allowlist. With enforce_allowlist = false it reads nothing, so only
#     the warnings remain, and plan exits 0 even when CircleCI is down.
# Run `plan` on a schedule (or in CI) to be told when admin access drifts:
# plan writes no state, so no logins or emails are kept anywhere.

terraform {
  # check blocks: Terraform 1.5+, OpenTofu 1.6+.
  required_version = ">= 1.5.0"

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
  description = "CircleCI user IDs (UUIDs, the id of circleci_org_members) allowed to be organization admins. Empty: no allowlist. IDs, not logins: a login can change, and two users of different identity providers can share one."
  type        = set(string)
  default     = []
}

variable "enforce_allowlist" {
  description = "When true, an admin missing from admin_allowlist fails the plan, and so does a failed read of CircleCI. When false, only the check blocks' warnings remain: plan exits 0 whatever happens."
  type        = bool
  default     = true
}

locals {
  # UUIDs compared lower-cased, as CircleCI matches them.
  allowlist = toset([for id in var.admin_allowlist : lower(id)])
}
