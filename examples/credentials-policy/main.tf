# Policies on the credentials projects hold and on whom their pipelines run
# as, checked on every plan and apply:
#   - no_all_scope_api_tokens: no project holds an API token with the "all"
#     (Admin) scope;
#   - no_schedule_runs_as_an_org_admin_or_a_departed_user: every legacy
#     schedule and every scheduled trigger runs as CircleCI's system actor, or
#     as a current member of the organization who is not an org admin.
# People are compared by ID: logins are not unique across identity providers.
# A broken rule is a warning (check blocks); a failed read stops the run.

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

data "circleci_project_credentials" "all" {
  include_environment_variables = false
  include_checkout_keys         = false
}

data "circleci_pipeline_triggers" "all" {}

data "circleci_org_members" "all" {}

locals {
  member_ids = toset(data.circleci_org_members.all.members[*].id)
  admin_ids  = toset([for m in data.circleci_org_members.all.members : m.id if m.role == "admin"])

  all_scope_tokens = sort(flatten([
    for p in data.circleci_project_credentials.all.projects : [
      for t in(p.api_tokens != null ? p.api_tokens : []) : "${p.slug} token ${t.id}" if t.scope == "all"
    ]
  ]))

  # Whom each schedule and scheduled trigger runs as; the system actor is
  # left out. A scheduled trigger without an actor ID counts as unknown.
  schedule_actors = concat(
    flatten([
      for p in data.circleci_pipeline_triggers.all.projects : [
        for s in(p.schedules != null ? p.schedules : []) : { what = "${p.slug} schedule ${s.name}", actor_id = s.actor_id }
        if !s.runs_as_system
      ]
    ]),
    flatten([
      for p in data.circleci_pipeline_triggers.all.projects : [
        for d in(p.definitions != null ? p.definitions : []) : [
          for t in d.triggers : { what = "${p.slug} ${d.name} trigger ${t.id}", actor_id = t.attribution_actor_id == null ? "(none)" : t.attribution_actor_id }
          if t.event_source_provider == "schedule" && t.attribution_actor_id != "system"
        ]
      ]
    ]),
  )
  admin_schedules    = sort([for a in local.schedule_actors : "${a.what} (user ${a.actor_id})" if contains(local.admin_ids, a.actor_id)])
  departed_schedules = sort([for a in local.schedule_actors : "${a.what} (user ${a.actor_id})" if !contains(local.member_ids, a.actor_id)])
}

check "no_all_scope_api_tokens" {
  assert {
    condition     = length(local.all_scope_tokens) == 0
    error_message = "Projects hold API tokens with the all (Admin) scope: ${join(", ", local.all_scope_tokens)}."
  }
}

check "no_schedule_runs_as_an_org_admin_or_a_departed_user" {
  assert {
    condition     = length(local.admin_schedules) == 0
    error_message = "Schedules run as organization admins: ${join(", ", local.admin_schedules)}."
  }

  assert {
    condition     = length(local.departed_schedules) == 0
    error_message = "Schedules run as users who are not members of the organization: ${join(", ", local.departed_schedules)}."
  }
}

output "schedule_actors" {
  description = "Whom each schedule and scheduled trigger runs as (user IDs; the system actor left out)."
  value       = { for a in local.schedule_actors : a.what => a.actor_id }
}
