// Package bench measures the provider at organization scale against the fake
// CircleCI API (internal/fakeapi) and compares each measurement with a floor
// measured in the same run, or computed from the measurement's own setup.
// cmd/benchreport runs every scenario (Scenarios) and prints a Markdown
// table; scripts/bench.sh (make bench) builds what it needs and runs it.
//
// It is a development tool outside the product tree: nothing under
// internal/ imports it except benchmarks. Under `go test` (make test) only
// bench_test.go's smoke test runs, on a tiny organization and with no
// timing assertion: the timed targets are reported, never asserted.
package bench
