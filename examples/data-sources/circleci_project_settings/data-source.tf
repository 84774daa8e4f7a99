# The settings of every project of the provider's organization.
data "circleci_project_settings" "all" {}

# Anyone who can open a pull request from a fork runs these projects'
# pipelines with their secrets.
output "projects_passing_secrets_to_forks" {
  value = [for p in data.circleci_project_settings.all.projects : p.slug if p.secrets_exposed_to_forks]
}

# Anyone who can re-run a job of these projects can open a shell in it.
output "projects_allowing_ssh_reruns" {
  value = [for p in data.circleci_project_settings.all.projects : p.slug if !p.disable_ssh]
}

# Where each project's webhooks send events: scheme and host only (a webhook
# URL's path and query often hold a secret, and are never read into state).
output "webhook_destinations" {
  value = {
    for p in data.circleci_project_settings.all.projects :
    p.slug => [for w in p.webhooks : "${w.url_scheme}://${w.url_host}"] if length(p.webhooks) > 0
  }
}
