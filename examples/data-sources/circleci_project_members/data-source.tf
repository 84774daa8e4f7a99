# Who has a role on one project, directly or through a group.
data "circleci_project_members" "payments" {
  project_id = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
}

output "project_admins" {
  value = [for m in data.circleci_project_members.payments.members : m.login if m.role == "admin"]
}

output "project_admin_groups" {
  value = [for g in data.circleci_project_members.payments.groups : g.name if g.role == "admin"]
}
