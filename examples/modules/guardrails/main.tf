# Guardrails for a CircleCI organization: each input turns one rule on, and
# every broken rule is a violation (outputs.tf). With enforce = false a
# broken rule is a warning (the check blocks below); with enforce = true the
# plan fails. The data sources share every listing: one sweep per run.
#
#   module "guardrails" {
#     source = "github.com/circleci-access/terraform-provider-circleci//examples/modules/guardrails"
#     max_admins = 3
#   }

terraform {
  required_version = ">= 1.5.0" # check blocks: Terraform 1.5+, OpenTofu 1.6+

  required_providers {
    circleci = {
      source  = "circleci-access/circleci"
      version = "~> 0.1"
    }
  }
}

data "circleci_organization" "this" {
  id = local.organization_id
}

data "circleci_org_access" "this" {
  organization_id = var.organization_id
}

data "circleci_contexts" "this" {
  organization_id               = var.organization_id
  include_environment_variables = false
}

data "circleci_groups" "this" {
  organization_id = var.organization_id
  include_members = false
}

data "circleci_secret_exposure" "this" {
  organization_id = var.organization_id
}

data "circleci_project_credentials" "this" {
  organization_id               = var.organization_id
  include_environment_variables = false
  include_checkout_keys         = false
}

data "circleci_pipeline_triggers" "this" {
  organization_id = var.organization_id
}

data "circleci_org_settings" "this" {
  organization_id           = var.organization_id
  include_audit_log_streams = false
  include_sso               = var.require_sso == true
}

locals {
  organization_id = data.circleci_org_access.this.organization_id
  access          = data.circleci_org_access.this
  settings        = data.circleci_org_settings.this
  org = {
    subject_kind = "organization"
    subject_id   = local.organization_id
    subject_name = data.circleci_organization.this.name
  }
  logins = { for u in local.access.users : u.id => u.login }
  # Org admins, and holders of an org role the provider does not recognise
  # (it treats them as admins); members: everyone with an org role.
  org_admin_ids = toset([for u in local.access.users : u.id if u.org_role != null ? !contains(["contributor", "viewer"], u.org_role) : false])
  member_ids    = toset([for u in local.access.users : u.id if u.org_role != null])
  secrets       = data.circleci_secret_exposure.this.secrets

  # max_admins and admin_allowlist_ids
  admins_known = local.access.admin_ids != null
  admin_ids    = local.admins_known ? local.access.admin_ids : []
  v_max_admins = var.max_admins == null ? [] : !local.admins_known ? [
    merge(local.org, { rule = "max_admins", detail = "circleci_org_access gave no admin_ids: the number of admins is not known" })
    ] : length(local.admin_ids) <= var.max_admins ? [] : [
    merge(local.org, { rule = "max_admins", detail = "${length(local.admin_ids)} admins (${join(", ", [for id in local.admin_ids : local.logins[id]])}); at most ${var.max_admins} allowed" })
  ]
  v_admin_allowlist = var.admin_allowlist_ids == null ? [] : !local.admins_known ? [
    merge(local.org, { rule = "admin_allowlist_ids", detail = "circleci_org_access gave no admin_ids: the admins are not known" })
    ] : [
    for id in local.admin_ids : {
      rule   = "admin_allowlist_ids", subject_kind = "user", subject_id = id, subject_name = local.logins[id]
      detail = contains(local.org_admin_ids, id) ? "an org admin not on admin_allowlist_ids" : "an effective project admin not on admin_allowlist_ids"
    } if !contains(var.admin_allowlist_ids, id)
  ]

  # protected_contexts
  protected = var.protected_contexts == null ? {} : var.protected_contexts
  # circleci_groups is null where CircleCI does not list groups (GitHub and
  # Bitbucket organizations): every group's name is then unknown.
  groups_known = data.circleci_groups.this.groups != null
  group_names  = merge({ (local.organization_id) = "All members" }, { for g in(local.groups_known ? data.circleci_groups.this.groups : []) : g.id => g.name })
  secret_by_id = { for s in local.secrets : "${s.kind}:${s.id}" => s }
  v_protected_missing = [
    for name, rules in local.protected : {
      rule   = "protected_contexts", subject_kind = "context", subject_id = "", subject_name = name
      detail = "no context has this name: a protected context must exist"
    } if length([for c in data.circleci_contexts.this.contexts : c if c.name == name]) == 0
  ]
  protected_pairs = flatten([
    for c in data.circleci_contexts.this.contexts : [
      for name, rules in local.protected : { context = c, rules = rules, secret = lookup(local.secret_by_id, "context:${c.id}", null) } if c.name == name
    ]
  ])
  v_protected = flatten([
    for p in local.protected_pairs : [
      for d in concat(
        p.secret == null ? ["circleci_secret_exposure does not list it: who can reach it is not known"] : [],
        p.secret == null ? [] : p.secret.variable_names_complete ? [] : ["its variable names were not all read (variable_names_complete = false): it may hold anything"],
        p.rules.allowed_groups == null ? [] : [
          for g in p.context.group_ids : (lookup(local.group_names, g, null) != null ?
            "restricted to the group ${lookup(local.group_names, g, "")}, which allowed_groups does not list" :
            local.groups_known ? "restricted to the group ${g}, which the organization's groups do not list" :
          "restricted to the group ${g}, whose name is not known: circleci_groups listed no groups (null)")
          if !contains(p.rules.allowed_groups, lookup(local.group_names, g, ""))
        ],
        p.secret == null ? [] : !p.rules.forbid_ssh ? [] : length(p.secret.ssh_reader_ids) == 0 ? [] : [
          "${length(p.secret.ssh_reader_ids)} people can read it in an SSH rerun: ${join(", ", p.secret.ssh_reader_logins)}"
        ],
        p.secret == null ? [] : p.rules.max_readers == null ? [] : length(p.secret.reader_ids) <= p.rules.max_readers ? [] : [
          "${length(p.secret.reader_ids)} readers; at most ${p.rules.max_readers} allowed"
        ],
      ) : { rule = "protected_contexts", subject_kind = "context", subject_id = p.context.id, subject_name = p.context.name, detail = d }
    ]
  ])

  # forbid_fork_secrets: a secret that holds a variable (or may: names not
  # all read) and that forked pull requests receive.
  v_fork = var.forbid_fork_secrets != true ? [] : [
    for s in local.secrets : {
      rule   = "forbid_fork_secrets", subject_kind = s.kind, subject_id = s.id, subject_name = s.name
      detail = s.variable_names_complete ? "forked pull requests receive its ${length(s.variable_names)} variable(s)" : "forked pull requests receive it, and its variable names were not all read"
    } if s.exposed_to_forks && (length(s.variable_names) > 0 || !s.variable_names_complete)
  ]

  # forbid_all_scope_tokens
  v_tokens = var.forbid_all_scope_tokens != true ? [] : flatten([
    for p in data.circleci_project_credentials.this.projects : p.api_tokens == null ? (
      contains(p.not_applicable, "api_tokens") ? [] : [{
        rule   = "forbid_all_scope_tokens", subject_kind = "project", subject_id = p.id, subject_name = p.name
        detail = "its API tokens were not read: whether one has the all scope is not known"
      }]) : [
      for t in p.api_tokens : {
        rule   = "forbid_all_scope_tokens", subject_kind = "project", subject_id = p.id, subject_name = p.name
        detail = "holds the API token ${t.id} with the all (Admin) scope"
      } if t.scope == "all"
    ]
  ])

  # forbid_schedules_as_admin: whom each legacy schedule and each schedule
  # trigger runs as.
  actors = flatten([
    for p in data.circleci_pipeline_triggers.this.projects : concat(
      p.schedules == null ? (contains(p.not_applicable, "schedules") ? [] : [
        { kind = "project", id = p.id, name = p.name, actor = null, why = "its legacy schedules were not read: whom they run as is not known" }
        ]) : [
        for s in p.schedules : { kind = "schedule", id = s.id, name = s.name, actor = s.actor_id, why = "" } if !s.runs_as_system
      ],
      p.definitions == null ? (contains(p.not_applicable, "definitions") ? [] : [
        { kind = "project", id = p.id, name = p.name, actor = null, why = "its pipeline definitions were not read: whom their schedule triggers run as is not known" }
        ]) : flatten([
        for d in p.definitions : [
          for t in d.triggers : { kind = "trigger", id = t.id, name = d.name, actor = t.attribution_actor_id, why = "" }
          if t.event_source_provider == "schedule" && t.attribution_actor_id != "system"
        ]
      ]),
    )
  ])
  v_schedules = var.forbid_schedules_as_admin != true ? [] : [
    for a in local.actors : {
      rule = "forbid_schedules_as_admin", subject_kind = a.kind, subject_id = a.id, subject_name = a.name
      detail = (a.why != "" ? a.why :
        a.actor == null || a.actor == "current" ? "runs as an actor CircleCI does not name" :
        contains(local.org_admin_ids, a.actor) ? "runs as the org admin ${lookup(local.logins, a.actor, a.actor)} (${a.actor})" :
      "runs as ${a.actor}, who is not a member of the organization")
    } if a.why != "" || a.actor == null || a.actor == "current" || contains(local.org_admin_ids, coalesce(a.actor, "-")) || !contains(local.member_ids, coalesce(a.actor, "-"))
  ]

  # Organization settings.
  v_group_restriction = var.require_context_group_restriction != true ? [] : local.access.context_group_restriction_required == true ? [] : [
    merge(local.org, { rule = "require_context_group_restriction", detail = local.access.context_group_restriction_required == null ? "is_context_group_restriction_required was not read: not known" : "is_context_group_restriction_required is off: a context without a group restriction is usable by every org admin" })
  ]
  v_sso = var.require_sso != true ? [] : local.settings.sso_enforced == true ? [] : [
    merge(local.org, { rule = "require_sso", detail = local.settings.sso_enforced == null ? "whether SAML single sign-on is enforced was not read: not known" : "SAML single sign-on is not enforced" })
  ]
  v_inline_config = var.forbid_api_inline_config != true ? [] : local.settings.enable_unversioned_config == false ? [] : [
    merge(local.org, { rule = "forbid_api_inline_config", detail = local.settings.enable_unversioned_config == null ? "enable_unversioned_config was not read: not known" : "enable_unversioned_config is on: an API trigger may bring its own configuration, run with the project's secrets" })
  ]

  # max_project_secret_readers
  v_project_readers = var.max_project_secret_readers == null ? [] : flatten([
    for s in local.secrets : [
      for d in concat(
        s.variable_names_complete ? [] : ["its variable names were not all read (variable_names_complete = false): it may hold anything"],
        length(s.reader_ids) <= var.max_project_secret_readers ? [] : ["${length(s.reader_ids)} people can run a pipeline that receives its variables; at most ${var.max_project_secret_readers} allowed"],
      ) : { rule = "max_project_secret_readers", subject_kind = "project", subject_id = s.id, subject_name = s.name, detail = d }
    ] if s.kind == "project"
  ])

  all_violations = concat(
    local.v_max_admins, local.v_admin_allowlist, local.v_protected_missing, local.v_protected, local.v_fork, local.v_tokens,
    local.v_schedules, local.v_group_restriction, local.v_sso, local.v_inline_config, local.v_project_readers,
  )
  # Sorted by rule, subject_kind, subject_id, detail (the OPA twin sorts the same key).
  by_key     = { for v in local.all_violations : join(" ", [v.rule, v.subject_kind, v.subject_id, v.detail]) => v... }
  violations = [for k in sort(keys(local.by_key)) : local.by_key[k][0]]
  by_rule    = { for v in local.violations : v.rule => "${v.subject_kind} ${v.subject_name} (${v.subject_id}): ${v.detail}"... }
}

check "max_admins" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "max_admins")
    error_message = "CircleCI guardrail max_admins broken: ${join("; ", lookup(local.by_rule, "max_admins", []))}."
  }
}

check "admin_allowlist_ids" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "admin_allowlist_ids")
    error_message = "CircleCI guardrail admin_allowlist_ids broken: ${join("; ", lookup(local.by_rule, "admin_allowlist_ids", []))}."
  }
}

check "protected_contexts" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "protected_contexts")
    error_message = "CircleCI guardrail protected_contexts broken: ${join("; ", lookup(local.by_rule, "protected_contexts", []))}."
  }
}

check "forbid_fork_secrets" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "forbid_fork_secrets")
    error_message = "CircleCI guardrail forbid_fork_secrets broken: ${join("; ", lookup(local.by_rule, "forbid_fork_secrets", []))}."
  }
}

check "forbid_all_scope_tokens" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "forbid_all_scope_tokens")
    error_message = "CircleCI guardrail forbid_all_scope_tokens broken: ${join("; ", lookup(local.by_rule, "forbid_all_scope_tokens", []))}."
  }
}

check "forbid_schedules_as_admin" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "forbid_schedules_as_admin")
    error_message = "CircleCI guardrail forbid_schedules_as_admin broken: ${join("; ", lookup(local.by_rule, "forbid_schedules_as_admin", []))}."
  }
}

check "require_context_group_restriction" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "require_context_group_restriction")
    error_message = "CircleCI guardrail require_context_group_restriction broken: ${join("; ", lookup(local.by_rule, "require_context_group_restriction", []))}."
  }
}

check "require_sso" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "require_sso")
    error_message = "CircleCI guardrail require_sso broken: ${join("; ", lookup(local.by_rule, "require_sso", []))}."
  }
}

check "forbid_api_inline_config" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "forbid_api_inline_config")
    error_message = "CircleCI guardrail forbid_api_inline_config broken: ${join("; ", lookup(local.by_rule, "forbid_api_inline_config", []))}."
  }
}

check "max_project_secret_readers" {
  assert {
    condition     = var.enforce || !contains(keys(local.by_rule), "max_project_secret_readers")
    error_message = "CircleCI guardrail max_project_secret_readers broken: ${join("; ", lookup(local.by_rule, "max_project_secret_readers", []))}."
  }
}
