# Policy on who administers a CircleCI organization, in two strengths:
#   - checks.tf WARNS: check blocks report every failed assertion, and plan
#     and apply go on (even when CircleCI cannot be read at all);
#   - postcondition.tf STOPS: the plan fails while an admin is missing from
#     the allowlist.
# Run it on a schedule (or in CI) to be told when admin access drifts.

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
  description = "Logins allowed to be organization admins, compared without case. Empty: no allowlist."
  type        = set(string)
  default     = []
}

variable "enforce_allowlist" {
  description = "When true, an admin missing from admin_allowlist fails the plan instead of only warning."
  type        = bool
  default     = true
}

locals {
  allowlist = toset([for login in var.admin_allowlist : lower(login)])
}
