# Policies on who can reach a secret (CircleCI contexts), checked on every
# plan and apply:
#   - no context holding a cloud credential is open to all members;
#   - a named context is restricted to a named security group;
# and an output of who (by login) may use each context, through its groups.

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
# the default organization (CIRCLECI_HOST for CircleCI Server).
provider "circleci" {}

variable "credential_pattern" {
  description = "A variable whose name matches this regular expression holds a cloud credential."
  type        = string
  default     = "(?i)(aws|gcp|azure).*(key|secret|token)"
}

variable "protected_context" {
  description = "The context that must be restricted to protected_group."
  type        = string
  default     = "aws-production"
}

variable "protected_group" {
  description = "The security group protected_context must be restricted to."
  type        = string
  default     = "release-managers"
}

data "circleci_contexts" "all" {}

data "circleci_groups" "all" {}

locals {
  group_ids      = { for g in data.circleci_groups.all.groups : g.name => g.id }
  group_logins   = { for g in data.circleci_groups.all.groups : g.id => g.members[*].login }
  group_names    = { for g in data.circleci_groups.all.groups : g.id => g.name }
  protected      = one([for c in data.circleci_contexts.all.contexts : c if c.name == var.protected_context])
  protected_gids = local.protected == null ? [] : local.protected.group_ids

  open_credential_contexts = sort([
    for c in data.circleci_contexts.all.contexts : c.name
    if c.all_members && length([for v in c.environment_variables : v if can(regex(var.credential_pattern, v))]) > 0
  ])
}

check "no_credentials_open_to_all_members" {
  assert {
    condition     = length(local.open_credential_contexts) == 0
    error_message = "Contexts holding cloud credentials are open to all members: ${join(", ", local.open_credential_contexts)}."
  }
}

check "protected_context_restricted_to_group" {
  assert {
    condition = (
      local.protected != null &&
      lookup(local.group_ids, var.protected_group, null) != null &&
      length(local.protected_gids) == 1 &&
      one(local.protected_gids) == lookup(local.group_ids, var.protected_group, "")
    )
    error_message = "Context ${var.protected_context} must be restricted to exactly the group ${var.protected_group}; it is restricted to: ${local.protected == null ? "(no such context)" : join(", ", [for id in local.protected_gids : lookup(local.group_names, id, id)])}."
  }
}

output "context_users" {
  description = "For each context, the logins of the members of the groups that may use it (\"*\" when it is open to all members)."
  value = {
    for c in data.circleci_contexts.all.contexts : c.name => (
      c.all_members ? ["*"] : sort(distinct(flatten([for id in c.group_ids : lookup(local.group_logins, id, [])])))
    )
  }
}

output "open_credential_contexts" {
  description = "Contexts holding a cloud credential that any member may use."
  value       = local.open_credential_contexts
}
