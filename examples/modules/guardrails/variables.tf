# Each rule is off while its input is null (or false); forbid_fork_secrets and
# forbid_all_scope_tokens are on unless set to false. People are keys by ID:
# logins are not unique across identity providers.

variable "organization_id" {
  description = "Organization to check (a UUID). Default: the provider's organization_id (CIRCLECI_ORG_ID)."
  type        = string
  default     = null
}

variable "enforce" {
  description = "false: each broken rule is a warning (check blocks); true: the plan fails (a precondition of the output violations)."
  type        = bool
  default     = false
}

variable "max_admins" {
  description = "The most people circleci_org_access counts in admin_ids (org admins and effective admins of any project)."
  type        = number
  default     = null
}

variable "admin_allowlist_ids" {
  description = "The user IDs allowed in circleci_org_access's admin_ids; any other admin is a violation."
  type        = set(string)
  default     = null
}

variable "protected_contexts" {
  description = "Context name => its rules: allowed_groups (the only group names it may be restricted to; \"All members\" for the built-in group), forbid_ssh (no reader may open an SSH rerun on a project that may use it), max_readers (the most people who may run a pipeline that receives it). A name no context has is a violation."
  type = map(object({
    allowed_groups = optional(list(string))
    forbid_ssh     = optional(bool, false)
    max_readers    = optional(number)
  }))
  default = null
}

variable "forbid_fork_secrets" {
  description = "No context or project variable that holds a variable (or whose names were not all read) is received by forked pull requests."
  type        = bool
  default     = true
}

variable "forbid_all_scope_tokens" {
  description = "No project holds an API token with the all (Admin) scope."
  type        = bool
  default     = true
}

variable "forbid_schedules_as_admin" {
  description = "No legacy schedule or schedule trigger runs as an org admin, as someone who is not a member of the organization, or as an actor CircleCI does not name."
  type        = bool
  default     = null
}

variable "require_context_group_restriction" {
  description = "The organization setting is_context_group_restriction_required is on."
  type        = bool
  default     = null
}

variable "require_sso" {
  description = "SAML single sign-on is enforced (read from an undocumented endpoint: circleci_org_settings include_sso)."
  type        = bool
  default     = null
}

variable "forbid_api_inline_config" {
  description = "The organization setting enable_unversioned_config is off: an API trigger may not bring its own configuration."
  type        = bool
  default     = null
}

variable "max_project_secret_readers" {
  description = "The most people who may run a pipeline that receives a project's environment variables."
  type        = number
  default     = null
}
