# What starts each project's pipelines, and as whom.
data "circleci_pipeline_triggers" "all" {}

locals {
  schedules = flatten([
    for p in data.circleci_pipeline_triggers.all.projects : [
      for s in(p.schedules != null ? p.schedules : []) : merge(s, { project = p.slug })
    ]
  ])
  definitions = flatten([
    for p in data.circleci_pipeline_triggers.all.projects : [
      for d in(p.definitions != null ? p.definitions : []) : merge(d, { project = p.slug })
    ]
  ])
}

# A schedule attributed to a person runs with that person's context access.
output "schedules_running_as_a_person" {
  value = { for s in local.schedules : "${s.project} ${s.name}" => s.actor_login if !s.runs_as_system }
}

# Whoever can push to the configuration repository decides what runs.
output "definitions_with_config_from_another_repo" {
  value = [for d in local.definitions : "${d.project} ${d.name}" if d.config_from_other_repo]
}

# Scheduled triggers of pipeline definitions, and the user each runs as.
output "scheduled_trigger_actors" {
  value = {
    for t in flatten([for d in local.definitions : [for t in d.triggers : merge(t, { definition = "${d.project} ${d.name}" })]]) :
    "${t.definition} ${t.id}" => t.attribution_actor_id if t.event_source_provider == "schedule"
  }
}

# The legacy schedule API does not apply to standalone projects: null there, never [].
output "projects_without_legacy_schedules" {
  value = [for p in data.circleci_pipeline_triggers.all.projects : p.slug if contains(p.not_applicable, "schedules")]
}
