# The configuration check-admins.sh plans: it only reads, and the
# postcondition fails the plan when the organization has more than
# max_admins admins. `plan` writes no state: nothing about the members is
# left on the CI runner.

terraform {
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
  description = "Organization to count the admins of (a UUID). Default: the provider's organization_id (CIRCLECI_ORG_ID)."
  type        = string
  default     = null
}

variable "max_admins" {
  description = "The most admins allowed."
  type        = number
  default     = 2
}

data "circleci_org_members" "admins" {
  organization_id = var.organization_id
  role            = "admin"

  lifecycle {
    postcondition {
      condition     = self.admin_count <= var.max_admins
      error_message = "The CircleCI organization has ${self.admin_count} admins; at most ${var.max_admins} are allowed (max_admins)."
    }
  }
}
