# Who may administer the CircleCI organization, evaluated on the JSON of a
# saved plan (`terraform show -json plan.tfplan`, or `tofu show -json`).
# The allowlist is data (data.json next to this file): CircleCI user IDs,
# compared without case. IDs, not logins: logins are not unique across
# identity providers, and can change.
#
#   opa eval -d policy/ -i plan.json 'data.circleci.admins.deny'   # the reasons
#   opa eval -d policy/ -i plan.json 'data.circleci.admins.allow'  # the decision
package circleci.admins

# Every admin of every circleci_org_members data source in the plan, as
# {id, login}.
admins contains {"id": m.id, "login": m.login} if {
	some r in input.prior_state.values.root_module.resources
	r.mode == "data"
	r.type == "circleci_org_members"
	some m in r.values.members
	m.role == "admin"
}

allowlist := {lower(id) | some id in data.circleci.admin_allowlist}

deny contains msg if {
	some a in admins
	not lower(a.id) in allowlist
	msg := sprintf("%s (%s) is a CircleCI organization admin but not on the admin allowlist", [a.login, a.id])
}

# The plan must have read the members: a policy that saw nothing allows nothing.
deny contains "the plan has no circleci_org_members data source with admins to evaluate" if {
	count(admins) == 0
}

default allow := false

allow if count(deny) == 0
