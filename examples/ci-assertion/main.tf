# The configuration that check-admins.sh applies: it only reads, and exposes
# the number of admins as the output the script tests.

terraform {
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
  description = "Organization to count the admins of (a UUID). Default: the provider's organization_id (CIRCLECI_ORG_ID)."
  type        = string
  default     = null
}

data "circleci_org_members" "admins" {
  organization_id = var.organization_id
  role            = "admin"
}

output "admin_count" {
  description = "Number of admins in the organization."
  value       = data.circleci_org_members.admins.admin_count
}

output "admins" {
  description = "Logins of the organization's admins."
  value       = data.circleci_org_members.admins.logins
}
