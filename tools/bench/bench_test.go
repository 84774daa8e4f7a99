package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The harness works end to end on a tiny organization: the in-process
// provider reads every member, the floor loop follows every page, and the
// row renders. No timing is asserted (make bench reports the real sizes).
func TestSmoke_dataSourceRead(t *testing.T) {
	r := dataSourceRead(context.Background(), Options{Rounds: 1}, 25, 10, 0)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if r.Measured == "" || r.Floor == "" || r.Pass == nil {
		t.Errorf("row %+v: want a measured time, a floor and a verdict (whichever it is)", r)
	}
	if md := Markdown([]Result{r}); !strings.Contains(md, "| same 25 members, whole data source Read") {
		t.Errorf("the row is not in the table:\n%s", md)
	}
}

// GoBench turns `go test -bench` lines into rows: the client + mapper
// benchmark gets a ratio verdict, the mapper alone is only reported.
func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkOrgScaleRead/members=10000-2   	       5	2100000000 ns/op	 2.1 read-s	 2.0 floor-s	 1.05 ratio	 3.2 allocs/member	 900 B/member	 12 cpu-µs/member
BenchmarkMembersToModel/members=10000-2 	     100	  5000000 ns/op	 800000 B/op	 10010 allocs/op
BenchmarkOther-2 1 1 ns/op
PASS`
	rows := parseGoBench(strings.NewReader(out))
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2: %+v", len(rows), rows)
	}
	if r := rows[0]; r.Pass == nil || !*r.Pass || r.Measured != "2.100 s" || r.Floor != "2.000 s" {
		t.Errorf("client + mapper row: %+v", r)
	}
	if r := rows[1]; r.Pass != nil || r.Measured != "5.00 ms/op" {
		t.Errorf("mapper row: %+v", r)
	}
}

// The provider wrapper passes the child's exit status through and records
// the child's own usage, one line per process.
func TestWrap_recordsChildUsage(t *testing.T) {
	usage := filepath.Join(t.TempDir(), "usage.jsonl")
	for _, code := range []int{0, 3} {
		if got := wrap("/bin/sh", usage, []string{"-c", fmt.Sprintf("exit %d", code)}); got != code {
			t.Errorf("exit status %d, want %d", got, code)
		}
	}
	procs, err := readUsage(usage)
	if err != nil {
		t.Fatal(err)
	}
	if len(procs) != 2 {
		t.Fatalf("%d usage lines, want 2: %+v", len(procs), procs)
	}
	for _, p := range procs {
		if p.PID <= 0 || p.MaxRSSKiB <= 0 || p.Wall <= 0 {
			t.Errorf("usage %+v: want the child's pid, peak RSS and wall time", p)
		}
	}
}

// The posture scenario on a small organization: the four data sources read
// exactly the floor computed from the fixture (OAuth and standalone projects,
// each endpoint once), and the rows render. No timing is asserted.
func TestSmoke_postureFloor(t *testing.T) {
	rows := posture(context.Background(), Options{Rounds: 1}, 12, 0, false)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2: %+v", len(rows), rows)
	}
	for _, r := range rows {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if c := rows[0]; c.Pass == nil || !*c.Pass {
		t.Errorf("requests are not the floor: %+v", c)
	}
	if md := Markdown(rows); !strings.Contains(md, "posture data sources (4, one run) requests, 12 projects") {
		t.Errorf("the row is not in the table:\n%s", md)
	}
}
