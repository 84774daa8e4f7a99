# The configuration check-admins.sh plans with -detailed-exitcode: it only
# reads, and plans one change, the creation of terraform_data.too_many_admins,
# when the organization has more than max_admins admins. So plan's exit code
# is the answer: 0 the rule holds, 2 it is broken, 1 the count could not be
# read. Nothing is ever applied, and `plan` writes no state: nothing about the
# members is left on the CI runner. No outputs: an output's change would
# also make the exit code 2.

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
}

# Planned only when the rule is broken; its input says how (the admins by
# login and id, never by email).
resource "terraform_data" "too_many_admins" {
  count = data.circleci_org_members.admins.admin_count > var.max_admins ? 1 : 0

  input = {
    admin_count = data.circleci_org_members.admins.admin_count
    max_admins  = var.max_admins
    admins      = [for m in data.circleci_org_members.admins.members : "${m.login} (${m.id})"]
  }
}
