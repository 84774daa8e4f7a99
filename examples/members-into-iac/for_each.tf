# The generic pattern: one resource per member, keyed by id. Emails are
# compared lower-cased (CircleCI keeps them as typed) and may be null
# (CircleCI often leaves them empty): use them as values, never as keys.

resource "terraform_data" "member" {
  for_each = local.members

  input = {
    login = each.value.login
    role  = each.value.role
    email = each.value.email == null ? null : lower(each.value.email)
  }
}

output "member_count" {
  description = "Number of members mirrored."
  value       = length(terraform_data.member)
}

output "github_admins" {
  description = "GitHub logins of the organization's admins who have one."
  value       = sort(values(local.github_admins))
}
