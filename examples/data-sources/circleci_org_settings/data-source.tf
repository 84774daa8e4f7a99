# The settings of the provider's organization. SSO enforcement comes from an
# endpoint CircleCI does not document, so it is read only when asked for.
data "circleci_org_settings" "this" {
  include_sso = true
}

output "context_group_restriction_required" {
  value = data.circleci_org_settings.this.is_context_group_restriction_required
}

output "sso_enforced" {
  value = data.circleci_org_settings.this.sso_enforced
}

# An API trigger may bring its own configuration: anyone who can trigger a
# pipeline can then run any job with the project's secrets.
output "api_triggers_bring_their_own_config" {
  value = data.circleci_org_settings.this.enable_unversioned_config
}

output "audit_log_buckets" {
  value = [for s in data.circleci_org_settings.this.audit_log_streams : s.bucket if !s.disabled]
}
