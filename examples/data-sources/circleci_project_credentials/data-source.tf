# Every project of the provider's organization: the names of its environment
# variables (never their values), its checkout keys and its API tokens.
data "circleci_project_credentials" "all" {}

# Only some projects, without their API tokens.
data "circleci_project_credentials" "payments" {
  project_ids        = ["0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"]
  include_api_tokens = false
}

# Projects holding an Admin-scope ("all") API token.
output "projects_with_admin_tokens" {
  value = [
    for p in data.circleci_project_credentials.all.projects : p.slug
    if length([for t in(p.api_tokens != null ? p.api_tokens : []) : t if t.scope == "all"]) > 0
  ]
}

# A user key checks code out with a person's access to every repository they can read.
output "projects_checked_out_with_a_user_key" {
  value = [
    for p in data.circleci_project_credentials.all.projects : p.slug
    if length([for k in(p.checkout_keys != null ? p.checkout_keys : []) : k if k.type != "deploy-key"]) > 0
  ]
}

# Project variables go to every job of the project: no restrictions, unlike a context's.
output "variable_names_by_project" {
  value = { for p in data.circleci_project_credentials.all.projects : p.slug => [for v in(p.environment_variables != null ? p.environment_variables : []) : v.name] }
}

# Checkout keys do not apply to standalone projects: null there, never [].
output "projects_without_checkout_keys" {
  value = [for p in data.circleci_project_credentials.all.projects : p.slug if contains(p.not_applicable, "checkout_keys")]
}

output "payments_variable_names" {
  value = [for v in data.circleci_project_credentials.payments.projects[0].environment_variables : v.name]
}
