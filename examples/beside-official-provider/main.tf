# This provider next to CircleCI's official one in the same module. Both are
# named "circleci" by their authors, and a module gives each provider one
# local name: this one takes another (circleci-access: letters, digits and
# dashes only), and each of its data sources says so with `provider =`.
# Without it, a circleci_* data source belongs to the provider whose local
# name is "circleci".

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    # CircleCI's official provider: projects, contexts, environment variables.
    circleci = {
      source  = "CircleCI-Public/circleci"
      version = ">= 0.1"
    }
    # This provider: who has access, and at what level.
    circleci-access = {
      source  = "circleci-access/circleci"
      version = "~> 0.1"
    }
  }
}

# Configured from the environment: CIRCLECI_TOKEN (CIRCLECI_HOST for
# CircleCI Server).
provider "circleci-access" {}

variable "organization_slug" {
  description = "The organization's slug, e.g. \"circleci/AcmeStd\" or \"gh/acme\"."
  type        = string
}

# Both providers have a circleci_organization data source: without
# `provider =`, this block would be read by the official one (which takes
# only `id`, so `slug` would fail as an unsupported argument).
data "circleci_organization" "this" {
  provider = circleci-access
  slug     = var.organization_slug
}

data "circleci_org_members" "admins" {
  provider        = circleci-access
  organization_id = data.circleci_organization.this.id
  role            = "admin"
}

output "admins" {
  description = "Logins of the organization's admins."
  value       = data.circleci_org_members.admins.logins
}
