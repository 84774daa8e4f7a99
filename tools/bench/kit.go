package bench

import "github.com/circleci-access/terraform-provider-circleci/tools/bench/kit"

// Token is kit.Token, the fake's token in every bench fixture.
const Token = kit.Token

// The kit's functions, as the scenarios name them (see package kit).
var (
	OrgID         = kit.OrgID         // the id of the i-th bench organization
	UserID        = kit.UserID        // the id of the i-th member
	Fixture       = kit.Fixture       // organizations of members
	NewHTTPClient = kit.NewHTTPClient // the bare floors' client
	BareSweep     = kit.BareSweep     // a bare net/http sweep of one organization's members
	BareUsers     = kit.BareUsers     // bare user lookups
	BareGets      = kit.BareGets      // bare GETs of URLs by workers
	StartFake     = kit.StartFake     // the fake API, in-process or as a process
	Snapshot      = kit.Snapshot      // this process's CPU and allocations so far
	MinDur        = kit.MinDur        // the smallest duration
	Durs          = kit.Durs          // durations as "0.101/0.099 s"
)

type (
	// Fake is kit.Fake.
	Fake = kit.Fake
	// Usage is kit.Usage.
	Usage = kit.Usage
)
