package provider

import (
	"cmp"
	"slices"
	"strings"
)

// The join behind circleci_secret_exposure: for each place a secret lives
// (a context, or a project's own environment variables), who can make a
// pipeline read it, who can replace it, and by which routes (SSH reruns,
// forked pull requests, schedules and triggers). It is pure: the data source
// gathers the facts, the access rules (access_rules.go) decide each person's
// access, and this function only joins.

// exposureRules is how the join reads CircleCI's rules, word for word as the
// docs state it.
const exposureRules = "**Readers** of a context are the people the context rules allow to use it (see `circleci_org_access`); " +
	"readers of a project's environment variables are everyone whose effective role on the project is at least contributor, org " +
	"admins included (CircleCI's roles-and-permissions matrix: contributors may trigger builds; project environment variables " +
	"have no restrictions). **Editors** of a context follow the context edit rule; editors of a project's variables are its " +
	"effective admins, org admins included (roles matrix: only admins manage project settings), and its contributors too while the " +
	"project setting `write_settings_requires_admin` is off or could not be read. **SSH**: a reader whose " +
	"effective role is at least contributor on a project that may use the secret and does not disable SSH can rerun a job " +
	"with SSH and read every variable in a shell (CircleCI's SSH debugging docs). **Forks**: a secret is exposed to forks " +
	"when a project that may use it builds forked pull requests and passes them secrets (`build_fork_prs` and " +
	"`forks_receive_secret_env_vars`): anyone who can open a pull request then reads it. CircleCI's docs do not say plainly " +
	"whether contexts reach fork builds; the provider assumes they do. **Schedules and triggers** on a project that may use " +
	"the secret run pipelines that receive it, as their actor or as the system; a schedule runs with its actor's context " +
	"access, so one whose actor may not use a context is not listed for it. **The provider's assumptions**, toward more exposure: a project whose SSH or fork settings could not be read " +
	"counts as allowing SSH and passing secrets to forks; every schedule and trigger of such a project is listed, whoever " +
	"its actor."

// exposurePerson is one person's access, as the access rules gave it.
type exposurePerson struct {
	ID, Login   string
	OrgRank     int
	ProjectRank map[string]int  // lower-cased project id → effective rank, where a grant raises it above OrgRank
	Contexts    []contextAccess // for the contexts given to the join, in their order
}

// rank is the person's effective rank on a project.
func (p exposurePerson) rank(projectID string) int {
	return max(p.OrgRank, p.ProjectRank[strings.ToLower(projectID)])
}

// scheduleActor is a schedule or trigger, and who its pipelines run as.
type scheduleActor struct {
	ProjectID  string
	Kind       string // "schedule" | "trigger"
	ID, Name   string
	ActorID    string // "" when it runs as the system
	ActorLogin string
	System     bool
}

// exposureProject is what the join needs of one project.
type exposureProject struct {
	ID, Name, Slug string
	VarNames       []string // its environment variables' names
	VarsComplete   bool     // false: the names could not all be read
	SSHDisabled    *bool    // nil: not known (assumed allowed)
	AdminsWrite    *bool    // write_settings_requires_admin; false or nil: contributors may change settings too
	ForkSecrets    *bool    // build_fork_prs && forks_receive_secret_env_vars; nil: not known (assumed exposed)
	Actors         []scheduleActor
}

func (p exposureProject) sshAllowed() bool { return p.SSHDisabled == nil || !*p.SSHDisabled }
func (p exposureProject) editorRank() int {
	if p.AdminsWrite != nil && *p.AdminsWrite {
		return rankAdmin
	}
	return rankContributor
}
func (p exposureProject) forksExposed() bool { return p.ForkSecrets == nil || *p.ForkSecrets }

// exposureContext is what the join needs of one context.
type exposureContext struct {
	ID, Name     string
	VarNames     []string
	VarsComplete bool
	Conditional  bool
	ProjectIDs   []string // its project restrictions; none: every project may use it
}

// secretExposure is one place a secret lives, joined.
type secretExposure struct {
	Kind, ID, Name        string // kind: "context" | "project"
	VariableNames         []string
	VariableNamesComplete bool
	Conditional           bool
	Readers, Editors      []int // indices into the people given to the join, in their order
	SSHReaders            []int
	ExposedToForks        bool
	ScheduleActors        []scheduleActor
	Projects              []int // indices into the projects given to the join
}

const (
	secretKindContext = "context"
	secretKindProject = "project"
)

// joinSecretExposure joins people, contexts and projects (people and
// projects in their output order) into one entry per context and one per
// project with environment variables (or whose names could not all be
// read), sorted by kind, then name, then id.
func joinSecretExposure(people []exposurePerson, contexts []exposureContext, projects []exposureProject) []secretExposure {
	projectIndex := make(map[string]int, len(projects))
	anySSH := false // some project allows SSH: an org contributor reaches it
	for i, p := range projects {
		projectIndex[strings.ToLower(p.ID)] = i
		anySSH = anySSH || p.sshAllowed()
	}
	personIndex := make(map[string]int, len(people))
	for k, p := range people {
		personIndex[strings.ToLower(p.ID)] = k
	}
	all := make([]int, len(projects))
	for i := range projects {
		all[i] = i
	}
	// sshOn is whether person k, at least contributor on one of which
	// (every project when restricted is false), can rerun a job with SSH there.
	sshOn := func(k int, which []int, restricted bool) bool {
		p := people[k]
		if !restricted {
			if p.OrgRank >= rankContributor {
				return anySSH
			}
			for id, r := range p.ProjectRank { // the few projects a grant raises
				if i, ok := projectIndex[id]; ok && r >= rankContributor && projects[i].sshAllowed() {
					return true
				}
			}
			return false
		}
		return slices.ContainsFunc(which, func(i int) bool {
			return projects[i].sshAllowed() && p.rank(projects[i].ID) >= rankContributor
		})
	}
	var out []secretExposure
	for j, c := range contexts {
		e := secretExposure{Kind: secretKindContext, ID: c.ID, Name: c.Name, VariableNames: sortedStrings(c.VarNames),
			VariableNamesComplete: c.VarsComplete, Conditional: c.Conditional, Projects: all}
		restricted := len(c.ProjectIDs) > 0
		if restricted {
			e.Projects = nil
			for _, id := range c.ProjectIDs {
				if i, ok := projectIndex[strings.ToLower(id)]; ok {
					e.Projects = append(e.Projects, i)
				}
			}
			slices.Sort(e.Projects)
			e.Projects = slices.Compact(e.Projects)
		}
		for k, p := range people {
			a := p.Contexts[j]
			if a.Edit {
				e.Editors = append(e.Editors, k)
			}
			if !a.Use {
				continue
			}
			e.Readers = append(e.Readers, k)
			if sshOn(k, e.Projects, restricted) {
				e.SSHReaders = append(e.SSHReaders, k)
			}
		}
		// A schedule runs with its actor's context access: one whose actor
		// may not use the context does not receive it. The system actor and
		// event-driven triggers are kept (who they run as is not known).
		e.ExposedToForks, e.ScheduleActors = routes(projects, e.Projects, func(a scheduleActor) bool {
			k, ok := personIndex[strings.ToLower(a.ActorID)]
			return a.ActorID == "" || !ok || people[k].Contexts[j].Use
		})
		out = append(out, e)
	}
	for i, p := range projects {
		if len(p.VarNames) == 0 && p.VarsComplete {
			continue
		}
		e := secretExposure{Kind: secretKindProject, ID: p.ID, Name: p.Name, VariableNames: sortedStrings(p.VarNames),
			VariableNamesComplete: p.VarsComplete, Projects: []int{i}}
		for k, person := range people {
			r := person.rank(p.ID)
			if r >= p.editorRank() {
				e.Editors = append(e.Editors, k)
			}
			if r < rankContributor {
				continue
			}
			e.Readers = append(e.Readers, k)
			if p.sshAllowed() {
				e.SSHReaders = append(e.SSHReaders, k)
			}
		}
		e.ExposedToForks, e.ScheduleActors = routes(projects, e.Projects, func(scheduleActor) bool { return true })
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b secretExposure) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return out
}

// routes is whether any of the projects exposes secrets to forks, and the
// schedules and triggers of theirs that keep says receive the secret.
func routes(projects []exposureProject, which []int, keep func(scheduleActor) bool) (bool, []scheduleActor) {
	forks := false
	actors := []scheduleActor{}
	for _, i := range which {
		forks = forks || projects[i].forksExposed()
		for _, a := range projects[i].Actors {
			if keep(a) {
				actors = append(actors, a)
			}
		}
	}
	return forks, actors
}
