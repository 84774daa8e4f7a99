# Policies on who can reach a secret (CircleCI contexts), checked on every
# plan:
#   - no context that any member may use holds a cloud credential, and every
#     such context's variable names were all read (fail closed: a credential
#     could hide past the names CircleCI gave);
#   - a named context is restricted to exactly a named security group;
# and outputs of who may use each context, by CircleCI's rules
# (circleci_org_access: org admins included), by user id and by login.
#
# Every data source is read outside the check blocks, so a failed read of
# CircleCI fails the plan (exit 1): a policy never passes on data it could
# not read. A failed assertion is a warning (exit 0).

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
  description = "The security group protected_context must be restricted to (by name)."
  type        = string
  default     = "release-managers"
}

data "circleci_contexts" "all" {}

data "circleci_groups" "all" {}

data "circleci_org_access" "org" {}

locals {
  # groups is null where CircleCI does not list groups (GitHub and Bitbucket
  # organizations): then no group resolves, and the restriction check fails.
  groups      = data.circleci_groups.all.groups == null ? [] : data.circleci_groups.all.groups
  group_ids   = { for g in local.groups : g.name => g.id }
  group_names = { for g in local.groups : g.id => g.name }

  # No one() and no && guards: Terraform evaluates every operand (only
  # OpenTofu short-circuits), so each guard is a conditional instead.
  protected_matches = [for c in data.circleci_contexts.all.contexts : c if c.name == var.protected_context]
  protected         = length(local.protected_matches) == 1 ? local.protected_matches[0] : null
  protected_gids    = local.protected == null ? [] : local.protected.group_ids
  wanted_gid        = lookup(local.group_ids, var.protected_group, null)
  protected_ok      = local.wanted_gid == null ? false : toset(local.protected_gids) == toset([local.wanted_gid])

  open_contexts = [for c in data.circleci_contexts.all.contexts : c if c.all_members]
  open_credential_contexts = sort([
    for c in local.open_contexts : c.name
    if length([for v in(c.environment_variables == null ? [] : c.environment_variables) : v if can(regex(var.credential_pattern, v))]) > 0
  ])
  # environment_variables_complete is false when CircleCI stopped paging the
  # names, and null when they were not read: both fail the policy.
  open_unread_contexts = sort([for c in local.open_contexts : c.name if c.environment_variables_complete != true])

  users_of = {
    for c in(data.circleci_org_access.org.contexts == null ? [] : data.circleci_org_access.org.contexts) : c.name => [
      for u in data.circleci_org_access.org.users : u if(u.contexts == null ? false : contains(u.contexts, c.name))
    ]
  }
}

check "no_credentials_open_to_all_members" {
  assert {
    condition     = length(local.open_credential_contexts) == 0
    error_message = "Contexts holding cloud credentials are open to all members: ${join(", ", local.open_credential_contexts)}."
  }

  assert {
    condition     = length(local.open_unread_contexts) == 0
    error_message = "Contexts open to all members whose variable names were not all read (a credential could be among the rest): ${join(", ", local.open_unread_contexts)}."
  }
}

check "protected_context_restricted_to_group" {
  assert {
    condition     = local.protected_ok
    error_message = "Context ${var.protected_context} must be restricted to exactly the group ${var.protected_group}; it is restricted to: ${local.protected == null ? "(no such context)" : join(", ", [for id in local.protected_gids : lookup(local.group_names, id, id)])}."
  }
}

output "context_user_ids" {
  description = "For each context, the IDs of the people who may use it (org admins included), by CircleCI's rules."
  value       = { for name, users in local.users_of : name => [for u in users : u.id] }
}

output "context_users" {
  description = "The same, by login (for reading; logins are not unique, IDs are)."
  value       = { for name, users in local.users_of : name => [for u in users : u.login] }
}

output "open_credential_contexts" {
  description = "Contexts holding a cloud credential that any member may use."
  value       = local.open_credential_contexts
}
