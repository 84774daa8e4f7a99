package provider

// State without reflection (state_values.go) for circleci_org_access,
// circleci_projects, circleci_groups and circleci_contexts: an
// organization's access is thousands of nested objects (a person's project
// roles, each with its grants), which State.Set would walk by reflection
// after the last response has arrived.

import "github.com/hashicorp/terraform-plugin-go/tftypes"

func (m OrgAccessDataSourceModel) stateValue(typ tftypes.Object) (tftypes.Value, error) {
	users, err := listOfObjects(typ, "users", m.Users, AccessUserModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	contexts, err := listOfObjects(typ, "contexts", m.Contexts, AccessContextModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"organization_id":  tfString(m.OrganizationID),
		"include_projects": tfBool(m.IncludeProjects),
		"include_contexts": tfBool(m.IncludeContexts),
		"users":            users,
		"contexts":         contexts,
		"admin_logins":     tfStringList(m.AdminLogins),
	})
}

func (u AccessUserModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	roles, err := listOfObjects(typ, "project_roles", u.ProjectRoles, ProjectRoleModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"id":            tfString(u.ID),
		"login":         tfString(u.Login),
		"email":         tfString(u.Email),
		"org_role":      tfString(u.OrgRole),
		"groups":        tfStringList(u.Groups),
		"project_roles": roles,
		"contexts":      tfStringList(u.Contexts),
	})
}

func (r ProjectRoleModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, map[string]tftypes.Value{
		"project_id":   tfString(r.ProjectID),
		"project_slug": tfString(r.ProjectSlug),
		"role":         tfString(r.Role),
		"via":          tfStringList(r.Via),
	})
}

func (c AccessContextModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, map[string]tftypes.Value{
		"id":          tfString(c.ID),
		"name":        tfString(c.Name),
		"all_members": tfBool(c.AllMembers),
		"logins":      tfStringList(c.Logins),
		"project_ids": tfStringList(c.ProjectIDs),
		"expressions": tfStringList(c.Expressions),
	})
}

func (m ProjectsDataSourceModel) stateValue(typ tftypes.Object) (tftypes.Value, error) {
	projects, err := listOfObjects(typ, "projects", m.Projects, ProjectModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"organization_id": tfString(m.OrganizationID),
		"projects":        projects,
		"ids":             tfStringList(m.IDs),
	})
}

func (p ProjectModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, map[string]tftypes.Value{
		"id":   tfString(p.ID),
		"slug": tfString(p.Slug),
		"name": tfString(p.Name),
	})
}

func (m GroupsDataSourceModel) stateValue(typ tftypes.Object) (tftypes.Value, error) {
	groups, err := listOfObjects(typ, "groups", m.Groups, GroupModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"organization_id": tfString(m.OrganizationID),
		"include_members": tfBool(m.IncludeMembers),
		"groups":          groups,
	})
}

func (g GroupModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	members, err := listOfObjects(typ, "members", g.Members, GroupMemberModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"id":           tfString(g.ID),
		"name":         tfString(g.Name),
		"description":  tfString(g.Description),
		"members":      members,
		"member_count": tfInt64(g.MemberCount),
	})
}

func (m GroupMemberModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, map[string]tftypes.Value{
		"id":    tfString(m.ID),
		"login": tfString(m.Login),
		"email": tfString(m.Email),
	})
}

func (m ContextsDataSourceModel) stateValue(typ tftypes.Object) (tftypes.Value, error) {
	contexts, err := listOfObjects(typ, "contexts", m.Contexts, ContextModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"organization_id":               tfString(m.OrganizationID),
		"name":                          tfString(m.Name),
		"include_environment_variables": tfBool(m.IncludeEnvVars),
		"contexts":                      contexts,
	})
}

func (c ContextModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	restrictions, err := listOfObjects(typ, "restrictions", c.Restrictions, RestrictionModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"id":                             tfString(c.ID),
		"name":                           tfString(c.Name),
		"created_at":                     tfString(c.CreatedAt),
		"environment_variables":          tfStringList(c.EnvironmentVariables),
		"environment_variables_complete": tfBool(c.EnvVarsComplete),
		"restrictions":                   restrictions,
		"all_members":                    tfBool(c.AllMembers),
		"group_ids":                      tfStringList(c.GroupIDs),
		"project_ids":                    tfStringList(c.ProjectIDs),
		"expressions":                    tfStringList(c.Expressions),
	})
}

func (r RestrictionModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, map[string]tftypes.Value{
		"id":    tfString(r.ID),
		"type":  tfString(r.Type),
		"value": tfString(r.Value),
		"name":  tfString(r.Name),
	})
}

func (m ProjectMembersDataSourceModel) stateValue(typ tftypes.Object) (tftypes.Value, error) {
	members, err := listOfObjects(typ, "members", m.Members, ProjectMemberModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	groups, err := listOfObjects(typ, "groups", m.Groups, ProjectGroupGrantModel.objectValue)
	if err != nil {
		return tftypes.Value{}, err
	}
	return objectValue(typ, map[string]tftypes.Value{
		"organization_id": tfString(m.OrganizationID),
		"project_id":      tfString(m.ProjectID),
		"members":         members,
		"groups":          groups,
	})
}

func (m ProjectMemberModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, map[string]tftypes.Value{
		"id":    tfString(m.ID),
		"login": tfString(m.Login),
		"email": tfString(m.Email),
		"role":  tfString(m.Role),
	})
}

func (g ProjectGroupGrantModel) objectValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, map[string]tftypes.Value{
		"id":   tfString(g.ID),
		"name": tfString(g.Name),
		"role": tfString(g.Role),
	})
}
