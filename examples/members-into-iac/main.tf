# Members into infrastructure as code: one resource per CircleCI organization
# member, keyed by the member's CircleCI user id, so that a member joining,
# leaving or renaming themselves changes exactly one resource in the plan.
# terraform_data stands in for the real targets (github.tf, for_each.tf), so
# that this example needs no other provider.

terraform {
  # terraform_data: Terraform 1.4+; OpenTofu 1.6+.
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
  description = "Organization whose members to mirror (a UUID). Default: the provider's organization_id (CIRCLECI_ORG_ID)."
  type        = string
  default     = null
}

# include_user_details adds each member's vcs_login (their login on the VCS,
# when they have one) and name: one user lookup per member.
data "circleci_org_members" "all" {
  organization_id      = var.organization_id
  include_user_details = true
}

locals {
  # Keyed by id: unique, and stable when a login is renamed or changes case.
  members = { for m in data.circleci_org_members.all.members : m.id => m }
}
