package bench

// The scenarios that drive the provider's gRPC server in-process
// (internal/provider through providerserver), or the client directly.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/provider"
)

// Provider is the provider's gRPC server in-process: the same code path as
// the CLI's plugin calls, minus the plugin transport.
type Provider struct {
	srv      tfprotov6.ProviderServer
	provType tftypes.Object
	dsTypes  map[string]tftypes.Object
	lastRPC  time.Duration
}

// LastRPC is how long the last Read's ReadDataSource call took: the
// provider's work, without decoding its answer (the CLI's work).
func (p *Provider) LastRPC() time.Duration { return p.lastRPC }

// NewProvider configures an in-process provider for the fake at base.
// Extra provider attributes (e.g. "max_concurrency") are given as values.
func NewProvider(ctx context.Context, base string, extra map[string]tftypes.Value) (*Provider, error) {
	p := &Provider{srv: provider.NewProtocol6("bench")(), dsTypes: map[string]tftypes.Object{}}
	sch, err := p.srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagErr(sch.Diagnostics); err != nil {
		return nil, err
	}
	p.provType = sch.Provider.ValueType().(tftypes.Object) //nolint:forcetypeassert // a block is an object
	for name, s := range sch.DataSourceSchemas {
		p.dsTypes[name] = s.ValueType().(tftypes.Object) //nolint:forcetypeassert // a block is an object
	}
	attrs := map[string]tftypes.Value{
		"api_token": tftypes.NewValue(tftypes.String, Token),
		"host":      tftypes.NewValue(tftypes.String, base),
	}
	for k, v := range extra {
		attrs[k] = v
	}
	cfg, err := dynamicValue(p.provType, attrs)
	if err != nil {
		return nil, err
	}
	resp, err := p.srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.10.0", Config: cfg})
	if err != nil {
		return nil, err
	}
	return p, diagErr(resp.Diagnostics)
}

// ReadMembers reads circleci_org_members for org and returns member_count.
func (p *Provider) ReadMembers(ctx context.Context, org string, details bool) (int64, error) {
	obj, err := p.Read(ctx, "circleci_org_members", map[string]tftypes.Value{
		"organization_id":      tftypes.NewValue(tftypes.String, org),
		"include_user_details": tftypes.NewValue(tftypes.Bool, details),
	})
	if err != nil {
		return 0, err
	}
	var count big.Float
	if err := obj["member_count"].As(&count); err != nil {
		return 0, err
	}
	n, _ := count.Int64()
	return n, nil
}

// Read reads the data source name with the given configuration attributes
// (the others null) and returns its state's attributes. An error
// diagnostic is an error.
func (p *Provider) Read(ctx context.Context, name string, attrs map[string]tftypes.Value) (map[string]tftypes.Value, error) {
	typ, ok := p.dsTypes[name]
	if !ok {
		return nil, fmt.Errorf("no data source %s", name)
	}
	cfg, err := dynamicValue(typ, attrs)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := p.srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: name, Config: cfg})
	p.lastRPC = time.Since(start)
	if err != nil {
		return nil, err
	}
	if err := diagErr(resp.Diagnostics); err != nil {
		return nil, err
	}
	state, err := resp.State.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	var obj map[string]tftypes.Value
	if err := state.As(&obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// dynamicValue builds an object of typ from attrs, every other attribute null.
func dynamicValue(typ tftypes.Object, attrs map[string]tftypes.Value) (*tfprotov6.DynamicValue, error) {
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for k, t := range typ.AttributeTypes {
		if v, ok := attrs[k]; ok {
			vals[k] = v
		} else {
			vals[k] = tftypes.NewValue(t, nil)
		}
	}
	for k := range attrs {
		if _, ok := typ.AttributeTypes[k]; !ok {
			return nil, fmt.Errorf("no attribute %q in the schema", k)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	return &dv, err
}

func diagErr(diags []*tfprotov6.Diagnostic) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			msgs = append(msgs, d.Summary+": "+d.Detail)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

// DataSourceRead10k reads the 10,000 members of the client + mapper row (100
// pages of 100 at 20 ms) read by the circleci_org_members data source through
// the in-process provider server: client, mapper and the framework's
// conversion of 10,000 nested objects into state. Compared with the same
// bare net/http floor, target ≤ 1.10×. Allocations and CPU are the bench process's own
// when the fake runs as a separate process (Options.FakeBin).
func DataSourceRead10k(ctx context.Context, o Options) Result {
	return dataSourceRead(ctx, o, 10000, 100, 20*time.Millisecond)
}

// dataSourceRead is DataSourceRead10k for any size (the smoke test reads a tiny one).
func dataSourceRead(ctx context.Context, o Options, members, pageSize int, latency time.Duration) Result {
	name := fmt.Sprintf("same %d members, whole data source Read", members) + " (in-process provider server: client + mapper + state)"
	f, err := StartFake(ctx, o.FakeBin, Fixture(1, members, pageSize, false), latency)
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	defer f.Close()
	org := OrgID(0)
	hc := NewHTTPClient()
	defer hc.CloseIdleConnections()
	if _, err := BareSweep(ctx, hc, f.URL, org, nil); err != nil { // warm-up
		return Result{Scenario: name, Err: err}
	}
	var floors, reads []time.Duration
	var use Usage
	for round := range o.Rounds {
		// Each timed part starts on a collected heap, so that neither pays
		// for the garbage of the one before (the previous round's state,
		// decoded here as the CLI would).
		runtime.GC()
		start := time.Now()
		if _, err := BareSweep(ctx, hc, f.URL, org, nil); err != nil {
			return Result{Scenario: name, Err: fmt.Errorf("floor: %w", err)}
		}
		floors = append(floors, time.Since(start))

		p, err := NewProvider(ctx, f.URL, nil)
		if err != nil {
			return Result{Scenario: name, Err: err}
		}
		runtime.GC()
		before := Snapshot()
		count, err := p.ReadMembers(ctx, org, false)
		reads = append(reads, p.LastRPC())
		if err != nil {
			return Result{Scenario: name, Err: err}
		}
		if count != int64(members) {
			return Result{Scenario: name, Err: fmt.Errorf("member_count %d, want %d", count, members)}
		}
		if u := Snapshot().Since(before); round == 0 || u.CPU < use.CPU {
			use = u
		}
		o.Logf("  round %d: floor %s, data source Read %s", round+1, floors[round], reads[round])
	}
	r := RatioResult(name, MinDur(reads), MinDur(floors), 1.10)
	where := "fake in a separate process"
	if o.FakeBin == "" {
		where = "fake in-process: allocs and CPU include it"
	}
	r.Notes = []string{
		fmt.Sprintf("min of %d interleaved runs (reads %s; floors %s)", o.Rounds, Durs(reads), Durs(floors)),
		fmt.Sprintf("allocs/member %.1f (%.0f B/member); CPU/member %.1f µs", float64(use.Mallocs)/float64(members),
			float64(use.Bytes)/float64(members), float64(use.CPU.Microseconds())/float64(members)),
		"floor = the bare net/http loop over the same pages; the excess over the client + mapper row is building the state of the nested member objects",
		where,
	}
	return r
}

// UserDetails1k measures include_user_details on 1,000 members (10
// pages of 100) at 20 ms, max_concurrency 8, through the in-process provider
// server, against a bare net/http floor: the same sweep, then the 1,000 user
// GETs by exactly 8 workers.
func UserDetails1k(ctx context.Context, o Options) Result {
	const members, pageSize, latency, conc = 1000, 100, 20 * time.Millisecond, 8
	name := "`include_user_details`, 1,000 members @ 20 ms, max_concurrency 8"
	f, err := StartFake(ctx, "", Fixture(1, members, pageSize, true), latency)
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	defer f.Close()
	org := OrgID(0)
	hc := NewHTTPClient()
	defer hc.CloseIdleConnections()
	var floors, reads []time.Duration
	var requests int
	for round := range o.Rounds {
		start := time.Now()
		var ids []string
		if _, err := BareSweep(ctx, hc, f.URL, org, &ids); err != nil {
			return Result{Scenario: name, Err: fmt.Errorf("floor: %w", err)}
		}
		if err := BareUsers(ctx, hc, f.URL, ids, conc); err != nil {
			return Result{Scenario: name, Err: fmt.Errorf("floor: %w", err)}
		}
		floors = append(floors, time.Since(start))

		p, err := NewProvider(ctx, f.URL, map[string]tftypes.Value{"max_concurrency": tftypes.NewValue(tftypes.Number, conc)})
		if err != nil {
			return Result{Scenario: name, Err: err}
		}
		f.Server.Reset()
		start = time.Now()
		count, err := p.ReadMembers(ctx, org, true)
		reads = append(reads, time.Since(start))
		if err != nil {
			return Result{Scenario: name, Err: err}
		}
		if count != members {
			return Result{Scenario: name, Err: fmt.Errorf("member_count %d, want %d", count, members)}
		}
		requests = f.Server.RequestCount("")
		o.Logf("  round %d: floor %s, read %s", round+1, floors[round], reads[round])
	}
	theory := time.Duration(math.Ceil(float64(members)/conc)+float64(members/pageSize)) * latency
	r := RatioResult(name, MinDur(reads), MinDur(floors), 1.2)
	r.Notes = []string{
		fmt.Sprintf("min of %d interleaved runs (reads %s; floors %s)", o.Rounds, Durs(reads), Durs(floors)),
		fmt.Sprintf("floor = bare net/http: the 10-page sweep, then 1,000 user GETs by 8 workers; theory (⌈1000/8⌉ + 10 pages) × 20 ms = %.2f s", theory.Seconds()),
		fmt.Sprintf("ratio to the theoretical floor %.3f", float64(MinDur(reads))/float64(theory)),
		fmt.Sprintf("requests per read %d (10 pages + 1,000 users)", requests),
	}
	return r
}

// RateLimited20 measures 20 organizations read at once through one
// client (as one provider run shares one client, hence one pacer) from a fake
// that admits perSecond requests per one-second window and answers 429 with
// Retry-After beyond it. The client runs with the provider's defaults.
func RateLimited20(ctx context.Context, _ Options) Result {
	const orgs, members, pageSize, latency, perSecond = 20, 1000, 100, 20 * time.Millisecond, 50
	name := fmt.Sprintf("20 organizations read concurrently (one client), fake limited to %d req/s, 429 + Retry-After beyond", perSecond)
	f, err := StartFake(ctx, "", Fixture(orgs, members, pageSize, false), latency)
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	defer f.Close()
	c, err := circleci.New(circleci.Config{Token: Token, Host: f.URL, MaxRetries: -1})
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	f.Server.SetRateLimit(perSecond)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	start := time.Now()
	for i := range orgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			grants, err := c.OrgRoleGrants(ctx, OrgID(i))
			if err == nil && len(grants) != members {
				err = fmt.Errorf("%d grants", len(grants))
			}
			if err != nil {
				mu.Lock()
				failed = append(failed, fmt.Sprintf("org %d: %v", i, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	limited := f.Server.RateLimited()
	total := f.Server.RequestCount("")
	needed := total - limited
	floor := time.Duration(float64(needed) / perSecond * float64(time.Second))
	r := RatioResult(name, elapsed, floor, 1.15)
	r.Floor = fmt.Sprintf("%s (%d requests ÷ %d/s)", Secs(floor), needed, perSecond)
	if len(failed) > 0 {
		fail := false
		r.Pass = &fail
		r.Notes = append(r.Notes, fmt.Sprintf("%d FAILED reads: %s", len(failed), strings.Join(failed, "; ")))
	} else {
		r.Notes = append(r.Notes, "no failed read")
	}
	r.Notes = append(r.Notes,
		fmt.Sprintf("429s: %d", limited),
		fmt.Sprintf("requests seen %d = %d answered + %d × 429 (%d orgs × %d pages)", total, needed, limited, orgs, members/pageSize),
		fmt.Sprintf("fixed 1 s window opened by its first request, reset in whole seconds rounded up; %s latency per response; the ideal is 4 windows, about (requests ÷ R − 1) s + latency", latency))
	return r
}
