package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Markdown renders the results as the README's table.
func Markdown(results []Result) string {
	var b strings.Builder
	b.WriteString("| scenario | measured | floor | ratio | target | result | notes |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(&b, "| %s | — | — | — | %s | **ERROR** | %s |\n", r.Scenario, orDash(r.Target), cell(r.Err.Error()))
			continue
		}
		ratio := "—"
		if !math.IsNaN(r.Ratio) {
			ratio = fmt.Sprintf("%.3f", r.Ratio)
		}
		result := "reported"
		if r.Pass != nil {
			result = "pass"
			if !*r.Pass {
				result = "**MISS**"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.Scenario, orDash(r.Measured), orDash(r.Floor), ratio,
			orDash(r.Target), result, cell(strings.Join(r.Notes, "; ")))
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func cell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.Join(strings.Fields(s), " ")
}

// GoBench reads `go test -bench -benchmem` output and returns a row for each
// benchmark whose name ends in a member count, e.g.
// BenchmarkMembersToModel/members=10000.
func GoBench(path string) []Result {
	f, err := os.Open(path) //nolint:gosec // G304: the benchmark output file named on our command line
	if err != nil {
		return []Result{{Scenario: "go test -bench", Err: err}}
	}
	defer func() { _ = f.Close() }()
	return parseGoBench(f)
}

func parseGoBench(r io.Reader) []Result {
	var out []Result
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := fields[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			name = name[:i] // drop -GOMAXPROCS
		}
		_, countStr, ok := strings.Cut(name, "members=")
		members, err := strconv.Atoi(countStr)
		if !ok || err != nil || members <= 0 {
			continue
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				metrics[fields[i+1]] = v
			}
		}
		n := float64(members)
		if floor, ok := metrics["floor-s"]; ok {
			read, ratio := metrics["read-s"], metrics["ratio"]
			pass := ratio <= 1.05
			out = append(out, Result{
				Scenario: "10,000 members, 100 pages of 100 @ 20 ms: client `OrgRoleGrants` + `membersToModel` (`" + name + "`)",
				Measured: fmt.Sprintf("%.3f s", read), Floor: fmt.Sprintf("%.3f s", floor), Ratio: ratio, Target: "≤ 1.05×", Pass: &pass,
				Notes: []string{
					"fastest of interleaved runs of each; floor = bare net/http loop following the same 100 pages, same fake, same latency (theory 100 × 20 ms = 2.0 s)",
					fmt.Sprintf("allocs/member %.1f (%.0f B/member); CPU/member %.1f µs", metrics["allocs/member"], metrics["B/member"], metrics["cpu-µs/member"]),
					"fake in a separate process (cmd/fake-circleci) unless BENCH_FAKE_BIN was unset",
				},
			})
			continue
		}
		out = append(out, Result{
			Scenario: "mapper alone: `membersToModel` on 10,000 grants (`" + name + "`)",
			Measured: fmt.Sprintf("%.2f ms/op", metrics["ns/op"]/1e6),
			Floor:    "—", Ratio: math.NaN(), Target: "reported",
			Notes: []string{fmt.Sprintf("allocs/member %.4f; B/member %.0f; CPU/member %.2f µs", metrics["allocs/op"]/n,
				metrics["B/op"]/n, metrics["ns/op"]/n/1e3)},
		})
	}
	return out
}
