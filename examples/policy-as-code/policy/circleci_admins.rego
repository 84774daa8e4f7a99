# Who may administer the CircleCI organization, evaluated on the JSON of a
# saved plan (`terraform show -json plan.tfplan`, or `tofu show -json`).
# The allowlist is data (data.json next to this file), compared without case.
#
#   opa eval -d policy/ -i plan.json 'data.circleci.admins.deny'   # the reasons
#   opa eval -d policy/ -i plan.json 'data.circleci.admins.allow'  # the decision
package circleci.admins

# Every admin of every circleci_org_members data source in the plan.
admins contains login if {
	some r in input.prior_state.values.root_module.resources
	r.mode == "data"
	r.type == "circleci_org_members"
	some m in r.values.members
	m.role == "admin"
	login := m.login
}

allowlist := {lower(login) | some login in data.circleci.admin_allowlist}

deny contains msg if {
	some login in admins
	not lower(login) in allowlist
	msg := sprintf("%s is a CircleCI organization admin but not on the admin allowlist", [login])
}

# The plan must have read the members: a policy that saw nothing allows nothing.
deny contains "the plan has no circleci_org_members data source with admins to evaluate" if {
	count(admins) == 0
}

default allow := false

allow if count(deny) == 0
