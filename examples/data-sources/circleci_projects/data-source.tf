# The projects of the provider's organization.
data "circleci_projects" "all" {}

output "project_slugs" {
  value = { for p in data.circleci_projects.all.projects : p.name => p.slug }
}
