# Guardrails for a CircleCI organization in one module block: each input
# turns one rule on (null = off; forbid_fork_secrets and
# forbid_all_scope_tokens are on by default). A broken rule is a warning, or,
# with enforce = true, a failed plan. The same rules, with the same settings
# (policy-as-code/policy/circleci_guardrails.json), run in Open Policy Agent
# on this configuration's plan: policy-as-code/policy/circleci_guardrails.rego.

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
# the organization (a standalone one: CircleCI lists the members of no other).
provider "circleci" {}

variable "enforce" {
  description = "true: a broken rule fails the plan; false: it is a warning."
  type        = bool
  default     = false
}

module "guardrails" {
  # From your own configuration:
  # source = "github.com/circleci-access/terraform-provider-circleci//examples/modules/guardrails"
  source = "../modules/guardrails"

  enforce = var.enforce

  # At most 3 people who are org admins or admins of any project.
  max_admins = 3

  # Production credentials: only release managers, no SSH rerun on a project
  # that may use them, at most 10 people who can run a pipeline receiving them.
  protected_contexts = {
    "aws-production" = { allowed_groups = ["release-managers"], forbid_ssh = true, max_readers = 10 }
  }

  # No schedule runs as an org admin or as someone who has left.
  forbid_schedules_as_admin = true

  # An API trigger may not bring its own configuration.
  forbid_api_inline_config = true
}

output "violations" {
  description = "Every broken rule: rule, subject_kind, subject_id, subject_name, detail."
  value       = module.guardrails.violations
}

output "ok" {
  value = module.guardrails.ok
}
