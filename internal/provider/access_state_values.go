package provider

// State without reflection (state_values.go) for circleci_org_access,
// circleci_projects, circleci_project_members, circleci_groups and
// circleci_contexts: an organization's access is thousands of nested objects
// (a person's project roles, each with its grants), which State.Set would
// walk by reflection after the last response has arrived.

func (m ProjectsDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("projects", stateList(m.Projects, ProjectModel.state)),
		stateAttr("ids", stateStrings(m.IDs)),
	)
}

func (p ProjectModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(p.ID)),
		stateAttr("slug", stateString(p.Slug)),
		stateAttr("name", stateString(p.Name)),
	)
}

func (m GroupsDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("include_members", stateBool(m.IncludeMembers)),
		stateAttr("groups", stateList(m.Groups, GroupModel.state)),
	)
}

func (g GroupModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(g.ID)),
		stateAttr("name", stateString(g.Name)),
		stateAttr("description", stateString(g.Description)),
		stateAttr("members", stateList(g.Members, GroupMemberModel.state)),
		stateAttr("member_count", stateInt64(g.MemberCount)),
	)
}

func (m GroupMemberModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(m.ID)),
		stateAttr("login", stateString(m.Login)),
		stateAttr("email", stateString(m.Email)),
	)
}

func (m ContextsDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("name", stateString(m.Name)),
		stateAttr("include_environment_variables", stateBool(m.IncludeEnvVars)),
		stateAttr("contexts", stateList(m.Contexts, ContextModel.state)),
	)
}

func (c ContextModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(c.ID)),
		stateAttr("name", stateString(c.Name)),
		stateAttr("created_at", stateString(c.CreatedAt)),
		stateAttr("environment_variables", stateStrings(c.EnvironmentVariables)),
		stateAttr("environment_variables_complete", stateBool(c.EnvVarsComplete)),
		stateAttr("restrictions", stateList(c.Restrictions, RestrictionModel.state)),
		stateAttr("all_members", stateBool(c.AllMembers)),
		stateAttr("admins_only", stateBool(c.AdminsOnly)),
		stateAttr("conditional", stateBool(c.Conditional)),
		stateAttr("group_ids", stateStrings(c.GroupIDs)),
		stateAttr("project_ids", stateStrings(c.ProjectIDs)),
		stateAttr("expressions", stateStrings(c.Expressions)),
	)
}

func (r RestrictionModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(r.ID)),
		stateAttr("type", stateString(r.Type)),
		stateAttr("value", stateString(r.Value)),
		stateAttr("name", stateString(r.Name)),
	)
}

func (m ProjectMembersDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("project_id", stateString(m.ProjectID)),
		stateAttr("members", stateList(m.Members, ProjectMemberModel.state)),
		stateAttr("groups", stateList(m.Groups, ProjectGroupGrantModel.state)),
	)
}

func (m ProjectMemberModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(m.ID)),
		stateAttr("login", stateString(m.Login)),
		stateAttr("email", stateString(m.Email)),
		stateAttr("role", stateString(m.Role)),
	)
}

func (g ProjectGroupGrantModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(g.ID)),
		stateAttr("name", stateString(g.Name)),
		stateAttr("role", stateString(g.Role)),
	)
}
