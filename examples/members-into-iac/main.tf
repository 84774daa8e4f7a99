# Members into infrastructure as code: one resource per CircleCI organization
# member, keyed by login, so that a member joining or leaving CircleCI adds or
# removes exactly one resource in the plan.
#
# terraform_data stands in for the real target so that this example needs no
# other provider. With a real one, the same for_each drives it, e.g. mirroring
# CircleCI admins into a GitHub team (integrations/github):
#
#   resource "github_team_membership" "circleci_admins" {
#     for_each = { for m in data.circleci_org_members.all.members : m.login => m if m.role == "admin" }
#     team_id  = github_team.circleci_admins.id
#     username = each.value.login
#     role     = "member"
#   }
#
# or keeping a Slack user group in step (pablovarela/slack), by email:
#
#   data "slack_user" "member" {
#     for_each = { for m in data.circleci_org_members.all.members : m.login => m if m.email != null }
#     email    = each.value.email
#   }
#   resource "slack_usergroup" "circleci" {
#     name  = "circleci-members"
#     users = [for u in data.slack_user.member : u.id]
#   }

terraform {
  required_providers {
    circleci = {
      source = "circleci-access/circleci"
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

data "circleci_org_members" "all" {
  organization_id = var.organization_id
}

locals {
  # Logins are unique within an organization; keying by login (not by list
  # position) keeps each member's resource stable as others come and go.
  members = { for m in data.circleci_org_members.all.members : m.login => m }
}

resource "terraform_data" "member" {
  for_each = local.members

  input = {
    login = each.value.login
    role  = each.value.role
    email = each.value.email
  }
}

output "member_count" {
  description = "Number of members mirrored."
  value       = length(terraform_data.member)
}

output "members" {
  description = "Each mirrored member's role, by login."
  value       = { for login, r in terraform_data.member : login => r.output.role }
}

output "admins" {
  description = "Logins of the organization's admins."
  value       = sort([for login, m in local.members : login if m.role == "admin"])
}
