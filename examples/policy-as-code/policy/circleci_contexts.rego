# No context holding a cloud credential may be open to all members, evaluated
# on the JSON of a saved plan (`terraform show -json plan.tfplan`, or
# `tofu show -json`). Only variable names are compared: the provider never
# reads their values.
#
#   opa eval -d policy/ -i plan.json 'data.circleci.contexts.deny'   # the reasons
#   opa eval -d policy/ -i plan.json 'data.circleci.contexts.allow'  # the decision
package circleci.contexts

# A variable whose name matches holds a cloud credential.
credential_pattern := `(?i)(aws|gcp|azure).*(key|secret|token)`

# Every circleci_contexts data source in the plan.
sources contains r if {
	some r in input.prior_state.values.root_module.resources
	r.mode == "data"
	r.type == "circleci_contexts"
}

# Every context that any member may use.
open_contexts contains c if {
	some r in sources
	some c in r.values.contexts
	c.all_members == true
}

deny contains msg if {
	some c in open_contexts
	some name in c.environment_variables
	regex.match(credential_pattern, name)
	msg := sprintf("context %s holds the cloud credential %s and is open to all members", [c.name, name])
}

# Fail closed: an open context whose variable names were not all read (not
# read at all, or CircleCI stopped paging) may hold a credential.
deny contains msg if {
	some c in open_contexts
	not c.environment_variables_complete == true
	msg := sprintf("context %s is open to all members and its variable names were not all read", [c.name])
}

# The plan must have read the contexts: a policy that saw nothing allows nothing.
deny contains "the plan has no circleci_contexts data source to evaluate" if {
	count(sources) == 0
}

default allow := false

allow if count(deny) == 0
