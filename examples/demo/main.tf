# The demo that `make demo` applies: who can reach a CircleCI organization,
# and a policy check on the number of admins. Against the bundled fake API it
# reads demo data; with CIRCLECI_TOKEN and CIRCLECI_ORG_ID set, real CircleCI.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    circleci = {
      source  = "circleci-access/circleci"
      version = "~> 0.1"
    }
  }
}

# Configured from the environment: CIRCLECI_TOKEN, CIRCLECI_HOST.
provider "circleci" {}

variable "organization_id" {
  description = "Organization to inspect. Default: the first standalone organization the token can see."
  type        = string
  default     = null
}

variable "max_admins" {
  description = "The most admins the organization should have."
  type        = number
  default     = 2
}

data "circleci_organizations" "all" {}

data "circleci_organizations" "standalone" {
  vcs_type = "circleci"
}

locals {
  organization_id = coalesce(var.organization_id, try(data.circleci_organizations.standalone.ids[0], null))
}

data "circleci_org_members" "all" {
  organization_id = local.organization_id
}

data "circleci_org_members" "admins" {
  organization_id = local.organization_id
  role            = "admin"
}

output "organizations" {
  description = "Organizations the token's user belongs to, by slug."
  value = {
    for o in data.circleci_organizations.all.organizations : o.slug => {
      id       = o.id
      vcs_type = o.vcs_type
    }
  }
}

output "member_table" {
  description = "Every member of the organization, with role and email."
  value = join("\n", concat(
    [format("%-24s %-22s %s", "LOGIN", "ROLE", "EMAIL")],
    [for m in data.circleci_org_members.all.members : format("%-24s %-22s %s", m.login, m.role, coalesce(m.email, "-"))],
  ))
}

output "admins" {
  description = "Logins of the organization's admins."
  value       = data.circleci_org_members.admins.logins
}

output "counts" {
  value = {
    members = data.circleci_org_members.all.member_count
    admins  = data.circleci_org_members.all.admin_count
  }
}

check "at_most_max_admins" {
  assert {
    condition     = data.circleci_org_members.all.admin_count <= var.max_admins
    error_message = "The organization has ${data.circleci_org_members.all.admin_count} admins (${join(", ", data.circleci_org_members.admins.logins)}); the policy allows at most ${var.max_admins}."
  }
}

# Effective access: org roles, groups, project grants and context restrictions.
data "circleci_org_access" "org" {
  organization_id = local.organization_id
}

# Read once per run and shared with circleci_org_access: it costs no request.
data "circleci_projects" "all" {
  organization_id = local.organization_id
}

locals {
  project_names = { for p in data.circleci_projects.all.projects : p.id => p.name }
}

output "access_summary" {
  description = "Who can do what: each person's org role, the projects where they have more, and the contexts they may use."
  value = join("\n", concat(
    [format("%-16s %-22s %-52s %s", "LOGIN", "ORG ROLE", "MORE ON PROJECTS", "CONTEXTS")],
    [for u in data.circleci_org_access.org.users : format("%-16s %-22s %-52s %s",
      u.login,
      coalesce(u.org_role, "-"),
      length(u.project_roles) == 0 ? "-" : join(", ", [for p in u.project_roles : "${local.project_names[p.project_id]}=${p.role} (${join("+", p.via)})"]),
      length(u.contexts) == 0 ? "-" : join(", ", u.contexts),
    )],
  ))
}

output "effective_admins" {
  description = "Org admins and everyone who administers at least one project, directly or through a group."
  value       = data.circleci_org_access.org.admin_logins
}

output "context_table" {
  description = "Each context: which groups may use it (admins only when it has no group restriction), whether its use also depends on an expression, who may use it and who may replace its variables."
  value = join("\n", concat(
    [format("%-20s %-12s %-11s %-60s %s", "CONTEXT", "GROUPS", "CONDITIONAL", "USERS", "EDITORS")],
    [for c in data.circleci_org_access.org.contexts : format("%-20s %-12s %-11s %-60s %s",
      c.name,
      c.admins_only ? "admins only" : (c.all_members ? "all members" : "restricted"),
      c.conditional ? "yes" : "no",
      length(c.logins) == 0 ? "-" : join(",", c.logins),
      length(c.editor_logins) == 0 ? "-" : join(",", c.editor_logins),
    )],
  ))
}

# Who can reach each secret, by every route: people who can run a pipeline
# that receives it (readers), who can replace it (editors), who can open a
# shell holding it (an SSH rerun), whether forked pull requests receive it,
# and the schedules and triggers that run pipelines receiving it. Shares
# every listing above: no request of its own.
data "circleci_secret_exposure" "org" {
  organization_id = local.organization_id
}

output "exposure_table" {
  description = "Each context and each project with variables: how many people read it, edit it, can read it over SSH; whether forks receive it; and whom its schedules and triggers run as."
  value = join("\n", concat(
    [format("%-26s %7s %7s %4s %-5s %s", "SECRET", "READERS", "EDITORS", "SSH", "FORKS", "SCHEDULE ACTORS")],
    [for s in data.circleci_secret_exposure.org.secrets : format("%-26s %7d %7d %4d %-5s %s",
      "${s.kind}:${s.name}",
      length(s.reader_ids),
      length(s.editor_ids),
      length(s.ssh_reader_ids),
      s.exposed_to_forks ? "yes" : "no",
      length(s.schedule_actors) == 0 ? "-" : join(", ", distinct([for a in s.schedule_actors : "${a.kind} ${a.name} as ${a.runs_as_system ? "system" : coalesce(a.actor_login, a.actor_id, "the event's author")}"])),
    )],
  ))
}

# The guardrails module (examples/modules/guardrails) on the same data. In
# your configuration: source = "github.com/circleci-access/terraform-provider-circleci//examples/modules/guardrails".
# enforce = false: each broken rule is a warning; the demo still applies.
module "guardrails" {
  source = "../modules/guardrails"

  organization_id           = local.organization_id
  max_admins                = 5
  forbid_schedules_as_admin = true
  forbid_api_inline_config  = true
  require_sso               = true
  protected_contexts = {
    "aws-production" = { allowed_groups = ["release-managers"], forbid_ssh = true, max_readers = 10 }
  }
}

output "guardrail_violations" {
  description = "The guardrails the organization breaks: rule, subject, detail."
  value = join("\n", concat(
    [format("%-26s %-30s %s", "RULE", "SUBJECT", "DETAIL")],
    [for v in module.guardrails.violations : format("%-26s %-30s %s", v.rule, "${v.subject_kind}:${v.subject_name}", v.detail)],
  ))
}
