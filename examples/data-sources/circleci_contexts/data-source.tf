# Every context of the provider's organization: restrictions and the names of
# its environment variables (never their values).
data "circleci_contexts" "all" {}

# One context by its exact name.
data "circleci_contexts" "prod" {
  name = "aws-production"
}

output "contexts_open_to_all_members" {
  value = [for c in data.circleci_contexts.all.contexts : c.name if c.all_members]
}

output "prod_restricted_to_groups" {
  value = one(data.circleci_contexts.prod.contexts[*].group_ids)
}

# false when CircleCI would not page past the first 100 names (a warning names the context).
output "contexts_with_incomplete_variable_names" {
  value = [for c in data.circleci_contexts.all.contexts : c.name if c.environment_variables_complete == false]
}
