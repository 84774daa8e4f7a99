# The OPA twin of the guardrails module (examples/modules/guardrails): the
# same rules, by the same names, with the same violations (rule,
# subject_kind, subject_id, subject_name, detail), sorted the same way,
# evaluated on the JSON of a saved plan of a configuration that calls the
# module (its data sources are read at plan time; they may sit in the root
# module or in any module call). The rules' settings are data, under
# circleci_guardrails_settings (circleci_guardrails.json next to this file), with
# the module's input names: a rule is off while its setting is absent, null
# or false; forbid_fork_secrets and forbid_all_scope_tokens are on unless set
# to false. People are keyed by ID: logins are not unique.
#
#   terraform plan -out=plan.tfplan && terraform show -json plan.tfplan > plan.json
#   opa eval -d policy/ -i plan.json 'data.circleci_guardrails.violations'
#   opa eval -d policy/ -i plan.json 'data.circleci_guardrails.allow'
#
# The package is not under data.circleci: `data.circleci[_].deny`, which
# evaluates the plan of examples/policy-as-code's own main.tf, leaves it out
# (that plan reads none of the module's data sources, so this policy would
# deny it).
#
# An answer the rules could not judge (a null the provider uses for "not
# known", variable names not all read) is a violation, never a pass.
package circleci_guardrails

default given := {}

given := data.circleci_guardrails_settings

config := object.union({"forbid_fork_secrets": true, "forbid_all_scope_tokens": true}, given)

on(name) if {
	v := config[name]
	v != null
	v != false
}

# Every data source of the plan, in the root module or a module call.
resources contains r if {
	walk(input.prior_state.values.root_module, [_, r])
	is_object(r)
	r.mode == "data"
	is_string(r.type)
}

values(type) := [r.values | some r in resources; r.type == type]

access := values("circleci_org_access")[0]

settings := values("circleci_org_settings")[0]

org := {
	"subject_kind": "organization",
	"subject_id": access.organization_id,
	"subject_name": values("circleci_organization")[0].name,
}

logins := {u.id: u.login | some u in access.users}

org_admin_ids := {u.id | some u in access.users; u.org_role != null; not u.org_role in {"contributor", "viewer"}}

member_ids := {u.id | some u in access.users; u.org_role != null}

secrets := values("circleci_secret_exposure")[0].secrets

violation(rule, subject, detail) := object.union(subject, {"rule": rule, "detail": detail})

# max_admins and admin_allowlist_ids

found contains violation("max_admins", org, "circleci_org_access gave no admin_ids: the number of admins is not known") if {
	on("max_admins")
	access.admin_ids == null
}

found contains violation("max_admins", org, detail) if {
	on("max_admins")
	ids := access.admin_ids
	ids != null
	count(ids) > config.max_admins
	detail := sprintf("%d admins (%s); at most %v allowed", [count(ids), concat(", ", [logins[id] | some id in ids]), config.max_admins])
}

found contains violation("admin_allowlist_ids", org, "circleci_org_access gave no admin_ids: the admins are not known") if {
	on("admin_allowlist_ids")
	access.admin_ids == null
}

found contains violation("admin_allowlist_ids", {"subject_kind": "user", "subject_id": id, "subject_name": logins[id]}, detail) if {
	on("admin_allowlist_ids")
	some id in access.admin_ids
	not id in {x | some x in config.admin_allowlist_ids}
	detail := admin_detail(id)
}

admin_detail(id) := "an org admin not on admin_allowlist_ids" if id in org_admin_ids

else := "an effective project admin not on admin_allowlist_ids"

# protected_contexts

protected := config.protected_contexts if on("protected_contexts")

else := {}

contexts := values("circleci_contexts")[0].contexts

group_names := object.union({access.organization_id: "All members"}, {g.id: g.name | some g in values("circleci_groups")[0].groups})

secret_by_id := {sprintf("%s:%s", [s.kind, s.id]): s | some s in secrets}

found contains violation("protected_contexts", {"subject_kind": "context", "subject_id": "", "subject_name": name}, "no context has this name: a protected context must exist") if {
	some name, _ in protected
	count([c | some c in contexts; c.name == name]) == 0
}

found contains violation("protected_contexts", {"subject_kind": "context", "subject_id": c.id, "subject_name": c.name}, detail) if {
	some name, rules in protected
	some c in contexts
	c.name == name
	some detail in protected_details(c, rules)
}

protected_details(c, rules) := ((({d |
	not secret_by_id[sprintf("context:%s", [c.id])]
	d := "circleci_secret_exposure does not list it: who can reach it is not known"
} | {d |
	s := secret_by_id[sprintf("context:%s", [c.id])]
	s.variable_names_complete == false
	d := "its variable names were not all read (variable_names_complete = false): it may hold anything"
}) | {d |
	allowed := object.get(rules, "allowed_groups", null)
	allowed != null
	some g in c.group_ids
	not object.get(group_names, g, "") in {x | some x in allowed}
	d := group_detail(g)
}) | {d |
	object.get(rules, "forbid_ssh", false) == true
	s := secret_by_id[sprintf("context:%s", [c.id])]
	count(s.ssh_reader_ids) > 0
	d := sprintf("%d people can read it in an SSH rerun: %s", [count(s.ssh_reader_ids), concat(", ", s.ssh_reader_logins)])
}) | {d |
	max := object.get(rules, "max_readers", null)
	max != null
	s := secret_by_id[sprintf("context:%s", [c.id])]
	count(s.reader_ids) > max
	d := sprintf("%d readers; at most %v allowed", [count(s.reader_ids), max])
}

group_detail(g) := sprintf("restricted to the group %s, which allowed_groups does not list", [group_names[g]]) if group_names[g]

else := sprintf("restricted to the group %s, which the organization's groups do not list", [g]) if groups_known

else := sprintf("restricted to the group %s, whose name is not known: circleci_groups listed no groups (null)", [g])

# circleci_groups is null where CircleCI does not list groups (GitHub and
# Bitbucket organizations): every group's name is then unknown.
groups_known if values("circleci_groups")[0].groups != null

# forbid_fork_secrets: a secret that holds a variable (or may: names not all
# read) and that forked pull requests receive.

found contains violation("forbid_fork_secrets", {"subject_kind": s.kind, "subject_id": s.id, "subject_name": s.name}, detail) if {
	on("forbid_fork_secrets")
	some s in secrets
	s.exposed_to_forks == true
	s.variable_names_complete == true
	count(s.variable_names) > 0
	detail := sprintf("forked pull requests receive its %d variable(s)", [count(s.variable_names)])
}

found contains violation("forbid_fork_secrets", {"subject_kind": s.kind, "subject_id": s.id, "subject_name": s.name}, "forked pull requests receive it, and its variable names were not all read") if {
	on("forbid_fork_secrets")
	some s in secrets
	s.exposed_to_forks == true
	s.variable_names_complete == false
}

# forbid_all_scope_tokens

found contains violation("forbid_all_scope_tokens", project_subject(p), "its API tokens were not read: whether one has the all scope is not known") if {
	on("forbid_all_scope_tokens")
	some p in values("circleci_project_credentials")[0].projects
	p.api_tokens == null
	not "api_tokens" in p.not_applicable
}

found contains violation("forbid_all_scope_tokens", project_subject(p), sprintf("holds the API token %s with the all (Admin) scope", [t.id])) if {
	on("forbid_all_scope_tokens")
	some p in values("circleci_project_credentials")[0].projects
	some t in p.api_tokens
	t.scope == "all"
}

project_subject(p) := {"subject_kind": "project", "subject_id": p.id, "subject_name": p.name}

# forbid_schedules_as_admin: whom each legacy schedule and each schedule
# trigger runs as.

actors contains {"kind": "project", "id": p.id, "name": p.name, "actor": null, "why": "its legacy schedules were not read: whom they run as is not known"} if {
	some p in values("circleci_pipeline_triggers")[0].projects
	p.schedules == null
	not "schedules" in p.not_applicable
}

actors contains {"kind": "schedule", "id": s.id, "name": s.name, "actor": s.actor_id, "why": ""} if {
	some p in values("circleci_pipeline_triggers")[0].projects
	some s in p.schedules
	s.runs_as_system == false
}

actors contains {"kind": "project", "id": p.id, "name": p.name, "actor": null, "why": "its pipeline definitions were not read: whom their schedule triggers run as is not known"} if {
	some p in values("circleci_pipeline_triggers")[0].projects
	p.definitions == null
	not "definitions" in p.not_applicable
}

actors contains {"kind": "trigger", "id": t.id, "name": d.name, "actor": t.attribution_actor_id, "why": ""} if {
	some p in values("circleci_pipeline_triggers")[0].projects
	some d in p.definitions
	some t in d.triggers
	t.event_source_provider == "schedule"
	t.attribution_actor_id != "system"
}

found contains violation("forbid_schedules_as_admin", {"subject_kind": a.kind, "subject_id": a.id, "subject_name": a.name}, actor_detail(a)) if {
	on("forbid_schedules_as_admin")
	some a in actors
}

actor_detail(a) := a.why if a.why != ""

else := "runs as an actor CircleCI does not name" if a.actor in {null, "current"}

else := sprintf("runs as the org admin %s (%s)", [object.get(logins, a.actor, a.actor), a.actor]) if a.actor in org_admin_ids

else := sprintf("runs as %s, who is not a member of the organization", [a.actor]) if not a.actor in member_ids

# Organization settings.

found contains violation("require_context_group_restriction", org, detail) if {
	on("require_context_group_restriction")
	v := access.context_group_restriction_required
	v != true
	detail := setting_detail(v, "is_context_group_restriction_required was not read: not known", "is_context_group_restriction_required is off: a context without a group restriction is usable by every org admin")
}

found contains violation("require_sso", org, detail) if {
	on("require_sso")
	v := settings.sso_enforced
	v != true
	detail := setting_detail(v, "whether SAML single sign-on is enforced was not read: not known", "SAML single sign-on is not enforced")
}

found contains violation("forbid_api_inline_config", org, detail) if {
	on("forbid_api_inline_config")
	v := settings.enable_unversioned_config
	v != false
	detail := setting_detail(v, "enable_unversioned_config was not read: not known", "enable_unversioned_config is on: an API trigger may bring its own configuration, run with the project's secrets")
}

setting_detail(v, unknown, _) := unknown if v == null

setting_detail(v, _, broken) := broken if v != null

# max_project_secret_readers

found contains violation("max_project_secret_readers", {"subject_kind": "project", "subject_id": s.id, "subject_name": s.name}, "its variable names were not all read (variable_names_complete = false): it may hold anything") if {
	on("max_project_secret_readers")
	some s in secrets
	s.kind == "project"
	s.variable_names_complete == false
}

found contains violation("max_project_secret_readers", {"subject_kind": "project", "subject_id": s.id, "subject_name": s.name}, detail) if {
	on("max_project_secret_readers")
	some s in secrets
	s.kind == "project"
	count(s.reader_ids) > config.max_project_secret_readers
	detail := sprintf("%d people can run a pipeline that receives its variables; at most %v allowed", [count(s.reader_ids), config.max_project_secret_readers])
}

# Sorted by rule, subject_kind, subject_id, then detail, as the module sorts.

sort_key(v) := concat(" ", [v.rule, v.subject_kind, v.subject_id, v.detail])

violations := [v |
	some k in sort({sort_key(x) | some x in found})
	v := [x | some x in found; sort_key(x) == k][0]
]

ok := count(violations) == 0

# The plan must have read what the rules judge: a policy that saw nothing
# allows nothing.
deny contains sprintf("the plan has no %s data source to evaluate", [type]) if {
	some type in ["circleci_org_access", "circleci_organization", "circleci_org_settings", "circleci_secret_exposure", "circleci_contexts", "circleci_groups", "circleci_project_credentials", "circleci_pipeline_triggers"]
	count(values(type)) == 0
}

deny contains sprintf("%s: %s %s (%s): %s", [v.rule, v.subject_kind, v.subject_name, v.subject_id, v.detail]) if {
	some v in violations
}

default allow := false

allow if count(deny) == 0
