package main

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	s := time.Second
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3 * s}, 3 * s},
		{[]time.Duration{5 * s, 1 * s, 4 * s, 2 * s, 3 * s}, 3 * s},
		{[]time.Duration{4 * s, 1 * s, 2 * s, 3 * s}, 2500 * time.Millisecond},
	}
	for _, tc := range tests {
		in := append([]time.Duration(nil), tc.in...)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !reflect.DeepEqual(in, tc.in) {
			t.Errorf("median reordered its argument: %v", tc.in)
		}
	}
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes(" 100, 300,1000,")
	if err != nil || !reflect.DeepEqual(got, []int{100, 300, 1000}) {
		t.Fatalf("parseSizes = %v, %v", got, err)
	}
	for _, bad := range []string{"", ",", "0", "-5", "ten", "100,100"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) accepted", bad)
		}
	}
}

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := options{sizes: []int{100, 300, 1000}, latency: 50 * time.Millisecond, plans: 5, goBench: true}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("defaults = %+v, want %+v", o, want)
	}
	for _, args := range [][]string{{"-plans", "0"}, {"-latency", "-1s"}, {"-n", "x"}, {"extra"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

func plansOf(lists int, walls ...time.Duration) []planRun {
	runs := make([]planRun, len(walls))
	for i, w := range walls {
		runs[i] = planRun{Wall: w, ListCalls: lists}
	}
	return runs
}

// sample is a passing run of the three default sizes.
func sample() []result {
	ms := time.Millisecond
	mk := func(n int, apply time.Duration, refresh, norefresh time.Duration, peakKiB int64) result {
		return result{
			N:              n,
			Apply:          apply,
			ApplyCalls:     calls{Subscribe: n, List: n + 1},
			PlansRefresh:   plansOf(1, refresh, refresh+10*ms, refresh-10*ms, refresh, refresh+ms),
			PlansNoRefresh: plansOf(0, norefresh, norefresh, norefresh, norefresh, norefresh),
			Destroy:        apply / 2,
			DestroyCalls:   calls{Unsubscribe: n, List: 1},
			RSS: map[string]rss{
				"apply": {MaxKiB: peakKiB, Processes: 3},
				"plan":  {MaxKiB: peakKiB / 2, Processes: 15},
			},
		}
	}
	return []result{
		mk(100, 2*time.Second, 1000*ms, 900*ms, 30*1024),
		mk(300, 5*time.Second, 1500*ms, 1300*ms, 40*1024),
		mk(1000, 15*time.Second, 3000*ms, 2600*ms, 60*1024),
	}
}

func verdicts(targets []target) []verdict {
	out := make([]verdict, len(targets))
	for i, tg := range targets {
		out[i] = tg.Verdict
	}
	return out
}

func TestCheckTargetsPass(t *testing.T) {
	targets := checkTargets(sample(), 5)
	want := []verdict{pass, pass, pass, pass, pass, pass}
	if got := verdicts(targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("verdicts = %v, want %v\n%s", got, want, targetLines(targets))
	}
	if failed(targets) {
		t.Fatal("failed() on passing targets")
	}
}

func TestCheckTargetsFail(t *testing.T) {
	results := sample()
	results[0].PlansRefresh[2].ListCalls = 3                          // list calls
	results[1].PlansNoRefresh[0].ExitCode = 2                         // changes
	results[1].PlansRefresh = plansOf(1, 2*time.Second)               // ratio 2/1.3
	results[2].Apply = 40 * time.Second                               // 40 ms vs 20 ms per subscription
	results[2].LeftAfterDestroy = 1                                   // destroy
	results[2].RSS["destroy"] = rss{MaxKiB: 100 * 1024, Processes: 1} // exactly 100 MiB is not under
	targets := checkTargets(results, 5)
	want := []verdict{fail, fail, fail, fail, fail, fail}
	if got := verdicts(targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("verdicts = %v, want %v\n%s", got, want, targetLines(targets))
	}
	if !failed(targets) {
		t.Fatal("failed() on failing targets")
	}
}

func TestCheckTargetsSkipWhatIsNotMeasured(t *testing.T) {
	targets := checkTargets(sample()[:1], 5)
	want := []verdict{pass, pass, skip, skip, pass, skip}
	if got := verdicts(targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("verdicts = %v, want %v\n%s", got, want, targetLines(targets))
	}
	if failed(targets) {
		t.Fatal("a skipped target counts as failed")
	}
	if got := checkTargets(nil, 5); !failed(got) {
		t.Fatal("no results at all must fail")
	}
}

func TestTable(t *testing.T) {
	got := markdownTable(tableHeader(5), tableRows(sample()[:2]))
	want := `| N   | apply s | apply calls (subscribe/list) | plan s refresh median | plan s -refresh=false median | ratio | list calls per plan (max of 5) | destroy s | peak provider RSS MiB |
| --: | ------: | ---------------------------: | --------------------: | ---------------------------: | ----: | -----------------------------: | --------: | --------------------: |
| 100 |    2.00 |                      100/101 |                  1.00 |                         0.90 |  1.11 |                              1 |      1.00 |                  30.0 |
| 300 |    5.00 |                      300/301 |                  1.50 |                         1.30 |  1.15 |                              1 |      2.50 |                  40.0 |
`
	if got != want {
		t.Fatalf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestRenderDocument(t *testing.T) {
	results := sample()
	doc := renderDocument(report{
		Date:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Machine: machine{CPUs: 2, CPUModel: "Some CPU", MemTotal: "7.8 GiB", Go: "go version go1.26 linux/amd64", Terraform: "Terraform v1.11.4"},
		Latency: 50 * time.Millisecond,
		Plans:   5,
		Results: results,
		Targets: checkTargets(results, 5),
		GoBench: "BenchmarkDecodeList1000-2 1 2 ns/op",
	})
	for _, want := range []string{
		"2026-01-02 03:04 UTC",
		"2 × Some CPU", "7.8 GiB", "go version go1.26", "Terraform v1.11.4",
		"50ms of latency", "parallelism 10",
		"| 1000 |", "**PASS**", "BenchmarkDecodeList1000-2",
		"make bench", "-n 100,300,1000 -latency 50ms -plans 5",
		"generation",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
}

func TestReadRSS(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("1"+startedSuffix, "")
	write("1"+reportedSuffix, "20480\n")
	write("2"+startedSuffix, "")
	write("2"+reportedSuffix, "51200\n")
	write("3"+startedSuffix, "") // killed before it reported
	got := collectRSS(dir, 0)
	want := rss{MaxKiB: 51200, Processes: 2, Unreported: 1}
	if got != want {
		t.Fatalf("collectRSS = %+v, want %+v", got, want)
	}
	if got.MiB() != 50 {
		t.Fatalf("MiB = %v", got.MiB())
	}
}

func TestWithoutVars(t *testing.T) {
	env := []string{"A=1", envWrapProvider + "=/x", "B=2=3", envRSSDir + "=/y"}
	if got := withoutVars(env, envWrapProvider, envRSSDir); !reflect.DeepEqual(got, []string{"A=1", "B=2=3"}) {
		t.Fatalf("withoutVars = %q", got)
	}
}

func TestPlanOrderBalancesTheModes(t *testing.T) {
	first := map[bool]int{}
	for i := range 4 {
		order := planOrder(i)
		if len(order) != 2 || order[0] == order[1] {
			t.Fatalf("planOrder(%d) = %v", i, order)
		}
		first[order[0]]++
	}
	if first[true] != 2 || first[false] != 2 {
		t.Fatalf("over four pairs, refresh went first %d times and -refresh=false %d times", first[true], first[false])
	}
}
