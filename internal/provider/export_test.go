package provider

import "github.com/circleci-access/terraform-provider-circleci/internal/circleci"

// MembersToModelCount maps grants with membersToModel and returns how many
// members it kept. It exists for the benchmarks in bench_test.go, which are
// in package provider_test because they import tools/bench, which imports
// this package.
func MembersToModelCount(grants []circleci.RoleGrant) int {
	return len(membersToModel(grants, "").members)
}
