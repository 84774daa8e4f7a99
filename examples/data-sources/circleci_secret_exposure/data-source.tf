# Who can reach each secret, by every route. Keyed by id: names and logins
# are not unique.
data "circleci_secret_exposure" "org" {}

locals {
  secrets = { for s in data.circleci_secret_exposure.org.secrets : "${s.kind}:${s.id}" => s }
}

# How many people can run a pipeline that receives each secret.
output "reader_counts" {
  value = { for k, s in local.secrets : "${s.kind} ${s.name}" => length(s.reader_ids) }
}

# Secrets that forked pull requests receive: anyone who can open one reads them.
output "exposed_to_forks" {
  value = sort([for s in local.secrets : "${s.kind} ${s.name}" if s.exposed_to_forks])
}

# Who can open a shell holding each secret (a rerun with SSH).
output "ssh_readers" {
  value = { for k, s in local.secrets : "${s.kind} ${s.name}" => s.ssh_reader_logins if length(s.ssh_reader_ids) > 0 }
}

# Schedules and triggers that run pipelines receiving a secret as a person.
output "run_as_a_person" {
  value = sort(distinct(flatten([
    for s in local.secrets : [for a in s.schedule_actors : "${a.kind} ${a.id} as ${coalesce(a.actor_login, a.actor_id)}" if a.actor_id != null]
  ])))
}

# Secrets whose names could not all be read: treat them as holding anything.
output "incomplete" {
  value = sort([for s in local.secrets : "${s.kind} ${s.name}" if !s.variable_names_complete])
}
