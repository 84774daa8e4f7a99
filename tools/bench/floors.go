package bench

import (
	"context"
	"fmt"
	"time"
)

// floorRun is one scenario's reads against its floors: the request count
// computed from the fixture, the wall time theory (floor × latency ÷ conc)
// with a bare net/http floor measured in the same run (urls, by conc
// workers), and a read under the fake's rate limit.
type floorRun struct {
	fake                       *Fake
	urls                       []string
	floor                      int
	latency                    time.Duration
	conc, perSecond            int
	read                       func() (time.Duration, int, error) // one whole read: its time and the fake's request count
	countName, wallName        string
	rateName                   string // "": no rate-limited row
	countNote, wallNote, reads string // the floor's make-up; how the reads run; "reads" or "runs"
}

// rows runs rounds (at most two) of the bare floor then the read, and the
// rate-limited read, and returns the count, wall and rate rows.
func (r floorRun) rows(ctx context.Context, o Options) []Result {
	hc := NewHTTPClient()
	defer hc.CloseIdleConnections()
	var walls, bares []time.Duration
	requests := 0
	rounds := min(o.Rounds, 2)
	for i := range rounds {
		start := time.Now()
		if err := BareGets(ctx, hc, r.urls, r.conc); err != nil {
			return []Result{{Scenario: r.countName, Err: fmt.Errorf("floor: %w", err)}}
		}
		bares = append(bares, time.Since(start))
		d, n, err := r.read()
		if err != nil {
			return []Result{{Scenario: r.countName, Err: err}}
		}
		walls, requests = append(walls, d), max(requests, n)
		o.Logf("  round %d: bare floor %s; %d requests in %s", i+1, bares[i], n, d)
	}
	count := Result{Scenario: r.countName, Measured: fmt.Sprintf("%d requests", requests),
		Floor: fmt.Sprintf("%d requests (computed from the fixture)", r.floor), Ratio: float64(requests) / float64(r.floor), Target: "= floor"}
	countPass := requests == r.floor
	count.Pass = &countPass
	count.Notes = []string{fmt.Sprintf("floor = %s; most requests of %d %s, counted on the fake", r.countNote, rounds, r.reads)}
	theory := time.Duration(float64(r.floor) * float64(r.latency) / float64(r.conc))
	wall := RatioResult(r.wallName, MinDur(walls), theory, 1.2)
	wall.Floor = fmt.Sprintf("%s (%d requests × %s ÷ %d)", Secs(theory), r.floor, r.latency, r.conc)
	wall.Notes = []string{fmt.Sprintf("least of %d %s (%s); %s", rounds, r.reads, Durs(walls), r.wallNote),
		fmt.Sprintf("measured floor, same run: %d bare net/http GETs to the same fake by %d workers %s, ratio %.3f", r.floor, r.conc,
			Durs(bares), float64(MinDur(walls))/float64(MinDur(bares)))}
	if r.rateName == "" {
		return []Result{count, wall}
	}

	r.fake.Server.SetRateLimit(r.perSecond)
	d, n, err := r.read()
	if err != nil {
		return []Result{count, wall, {Scenario: r.rateName, Err: err}}
	}
	limited := r.fake.Server.RateLimited()
	o.Logf("  rate-limited: %d requests (%d × 429) in %s", n, limited, d)
	rfloor := time.Duration(float64(n-limited) / float64(r.perSecond) * float64(time.Second))
	rate := RatioResult(r.rateName, d, rfloor, 1.15)
	rate.Floor = fmt.Sprintf("%s (%d requests ÷ %d/s)", Secs(rfloor), n-limited, r.perSecond)
	ratePass := *rate.Pass && limited == 0
	rate.Pass = &ratePass
	rate.Notes = []string{fmt.Sprintf("429s: %d; requests %d", limited, n),
		"fake: fixed 1 s windows, RateLimit-* headers on every answer; the ideal is about (requests ÷ rate − 1) s + latency"}
	return []Result{count, wall, rate}
}
