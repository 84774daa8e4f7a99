# Policy as code: this configuration only reads; the decision is made by
# Open Policy Agent on the saved plan (policy/circleci_admins.rego: admins on
# an allowlist; policy/circleci_contexts.rego: no cloud credential in a context
# open to all members):
#
#   terraform plan -out=plan.tfplan
#   terraform show -json plan.tfplan > plan.json
#   opa eval -d policy/ -i plan.json 'data.circleci.admins.deny'
#   opa eval -d policy/ -i plan.json 'data.circleci.contexts.deny'

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
  description = "Organization to evaluate (a UUID). Default: the provider's organization_id (CIRCLECI_ORG_ID)."
  type        = string
  default     = null
}

# Read during plan: its values are in the plan's prior_state, which the
# policy evaluates.
data "circleci_org_members" "admins" {
  organization_id = var.organization_id
  role            = "admin"
}

# The contexts, with the names (never the values) of their variables.
data "circleci_contexts" "all" {
  organization_id = var.organization_id
}
