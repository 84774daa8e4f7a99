# Policies on an organization's settings, checked on every plan and apply:
#   - no_project_passes_secrets_to_forks: no project builds pull requests
#     from forks with its secrets;
#   - org_requires_context_group_restrictions_and_sso: every context must be
#     restricted to a group, and SAML SSO is enforced.
# A failed assertion, or a failed read, is a warning (check blocks).

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
# the organization.
provider "circleci" {}

check "no_project_passes_secrets_to_forks" {
  data "circleci_project_settings" "all" {}

  assert {
    condition     = length([for p in data.circleci_project_settings.all.projects : p if p.secrets_exposed_to_forks]) == 0
    error_message = "Projects pass their secrets to pull requests from forks: ${join(", ", [for p in data.circleci_project_settings.all.projects : p.slug if p.secrets_exposed_to_forks])}."
  }
}

check "org_requires_context_group_restrictions_and_sso" {
  data "circleci_org_settings" "this" {
    include_sso = true
  }

  assert {
    condition     = data.circleci_org_settings.this.is_context_group_restriction_required
    error_message = "The organization does not require a group restriction on every context (is_context_group_restriction_required)."
  }

  assert {
    condition     = data.circleci_org_settings.this.sso_enforced == true
    error_message = "The organization does not enforce SAML single sign-on."
  }
}
