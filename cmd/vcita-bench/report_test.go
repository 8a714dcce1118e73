package main

import (
	"encoding/xml"
	"errors"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/stub"
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
	want := options{sizes: []int{100, 300, 1000}, latency: 50 * time.Millisecond, plans: 5, goBench: true, scenarios: scenarioNames(), providerEnv: map[string]string{}}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("defaults = %+v, want %+v", o, want)
	}
	o, err = parseFlags([]string{"-out", "dir/B.md", "-scenarios", "throttled,", "-provider-env", "GOMEMLIMIT=off", "-provider-env", "GOGC=50"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.chart != filepath.Join("dir", "BENCHMARKS.svg") {
		t.Errorf("chart = %q: it goes beside -out by default", o.chart)
	}
	if !reflect.DeepEqual(o.scenarios, []string{"throttled"}) {
		t.Errorf("scenarios = %q", o.scenarios)
	}
	if want := map[string]string{"GOMEMLIMIT": "off", "GOGC": "50"}; !reflect.DeepEqual(o.providerEnv, want) {
		t.Errorf("providerEnv = %v, want %v", o.providerEnv, want)
	}
	if o, err = parseFlags([]string{"-scenarios", ""}, io.Discard); err != nil || len(o.scenarios) != 0 {
		t.Errorf("-scenarios '': %q, %v; want none", o.scenarios, err)
	}
	for _, args := range [][]string{
		{"-plans", "0"}, {"-latency", "-1s"}, {"-n", "x"}, {"extra"},
		{"-scenarios", "no-such"}, {"-provider-env", "GOGC"}, {"-provider-env", "=1"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

// plansOf returns plans of these wall times, each making lists list calls
// and using half its wall time of CPU.
func plansOf(lists int, walls ...time.Duration) []planRun {
	runs := make([]planRun, len(walls))
	for i, w := range walls {
		runs[i] = planRun{Wall: w, CPU: w / 2, ListCalls: lists}
	}
	return runs
}

// sampleLatency is the latency of the sample: its API time is 5 ms a
// resource.
const sampleLatency = 50 * time.Millisecond

// sample is a passing run of the three default sizes: each command of the
// provider takes 15 ms a resource, as its floor does (10 ms of Terraform's
// own, 5 ms of API time), and a plan with refresh 1.15 times one without.
func sample() measured {
	ms := time.Millisecond
	mk := func(n int, peakKiB int64) result {
		per := func(d time.Duration) time.Duration { return time.Duration(n) * d }
		return result{
			N: n,
			Provider: lifecycle{
				Applies:        []phase{{Wall: per(15 * ms), CPU: per(4 * ms), Calls: calls{Subscribe: n, List: 1}}},
				PlansRefresh:   plansOf(1, per(3*ms), per(3*ms)+10*ms, per(3*ms)-10*ms, per(3*ms), per(3*ms)+ms),
				PlansNoRefresh: plansOf(0, per(2600*time.Microsecond), per(2600*time.Microsecond)),
				Destroy:        phase{Wall: per(15 * ms), CPU: per(4 * ms), Calls: calls{Unsubscribe: n, List: 1}},
				Provider: map[string]usage{
					opApply: {MaxKiB: peakKiB, CPU: per(2 * ms), Processes: 3},
					opPlan:  {MaxKiB: peakKiB / 2, CPU: 5 * per(ms), Processes: 15},
				},
			},
			Floor: lifecycle{
				Applies:        []phase{{Wall: per(10 * ms), CPU: per(3 * ms)}},
				PlansRefresh:   plansOf(0, per(2*ms)),
				PlansNoRefresh: plansOf(0, per(2*ms)),
				Destroy:        phase{Wall: per(10 * ms), CPU: per(3 * ms)},
			},
		}
	}
	return measured{
		Latency: sampleLatency,
		Plans:   5,
		Results: []result{mk(100, 30*1024), mk(300, 40*1024), mk(1000, 60*1024)},
		Scenarios: []scenarioResult{
			{
				scenario:  scenario{Name: "many", Businesses: 100, Subscriptions: 1000},
				lifecycle: lifecycle{Applies: []phase{{Wall: 20 * time.Second}}, HeldAfterFirstApply: 1000, PlansRefresh: plansOf(100, 9*time.Second)},
			},
			{
				// Under faults a list is retried, and each attempt counts.
				scenario:  scenario{Name: "faulted", Businesses: 1, Subscriptions: 300, Faults: stub.FaultConfig{Rate: 0.3, Kinds: []stub.FaultKind{stub.Fault429}}},
				lifecycle: lifecycle{Applies: []phase{{Wall: 30 * time.Second, Failed: "Rate Limit Exhausted"}, {Wall: 5 * time.Second}}, HeldAfterFirstApply: 299, PlansRefresh: plansOf(3, time.Second)},
			},
			{
				scenario:  scenario{Name: "quick", Businesses: 1, Subscriptions: 10, ApplyUnder: time.Second},
				lifecycle: lifecycle{Applies: []phase{{Wall: 500 * time.Millisecond}}, HeldAfterFirstApply: 10, PlansRefresh: plansOf(1, time.Second)},
			},
		},
	}
}

func verdicts(targets []target) []verdict {
	out := make([]verdict, len(targets))
	for i, tg := range targets {
		out[i] = tg.Verdict
	}
	return out
}

func TestComparisons(t *testing.T) {
	r := sample().Results[2]
	got := r.comparisons(sampleLatency)
	s := time.Second
	want := []comparison{
		{Op: opApply, Provider: 15 * s, Terraform: 10 * s, API: 5 * s, CPU: 4 * s, ProviderCPU: 2 * s, TerraformCPU: 3 * s},
		// The provider's plan CPU is per plan: 5 s over 5 plans.
		{Op: opPlan, Provider: 3 * s, Terraform: 2 * s, API: sampleLatency, CPU: 1500 * time.Millisecond, ProviderCPU: s, TerraformCPU: s},
		{Op: opNoRefresh, Provider: 2600 * time.Millisecond, Terraform: 2 * s, CPU: 1300 * time.Millisecond, TerraformCPU: s},
		{Op: opDestroy, Provider: 15 * s, Terraform: 10 * s, API: 5 * s, CPU: 4 * s, TerraformCPU: 3 * s},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("comparisons = %+v, want %+v", got, want)
	}
	if c := r.comparison(opApply, sampleLatency); c.Floor() != 15*time.Second || c.Ratio() != 1 {
		t.Fatalf("apply: floor %s, ratio %v; want 15s and 1", c.Floor(), c.Ratio())
	}
	if got := (comparison{Provider: time.Second}).Ratio(); got != 0 {
		t.Fatalf("ratio over a zero floor = %v, want 0", got)
	}
}

func TestCheckTargetsPass(t *testing.T) {
	targets := checkTargets(sample())
	want := []verdict{pass, pass, pass, pass, pass, pass, pass, pass}
	if got := verdicts(targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("verdicts = %v, want %v\n%s", got, want, targetLines(targets))
	}
	if failed(targets) {
		t.Fatal("failed() on passing targets")
	}
}

func TestCheckTargetsFail(t *testing.T) {
	m := sample()
	big := &m.Results[2].Provider
	big.Applies[0].Wall = 17260 * time.Millisecond                    // 1.151 × the floor
	big.Destroy.Wall = 16520 * time.Millisecond                       // 1.101 × the floor
	big.PlansRefresh = plansOf(1, 3520*time.Millisecond)              // 1.354 × 2.6 s
	big.Provider[opDestroy] = usage{MaxKiB: 100 * 1024, Processes: 1} // exactly 100 MiB is not under
	m.Results[0].Provider.PlansRefresh[2].ListCalls = 2               // a second list call
	m.Results[1].Provider.PlansNoRefresh[0].ExitCode = 2              // changes
	m.Results[1].Provider.LeftAfterDestroy = 1                        // destroy
	m.Scenarios[2] = scenarioResult{                                  // too slow
		scenario:  scenario{Name: "slow", ApplyUnder: time.Second, Subscriptions: 1},
		lifecycle: lifecycle{Applies: []phase{{Wall: time.Second}}, HeldAfterFirstApply: 1},
	}
	targets := checkTargets(m)
	want := []verdict{fail, fail, fail, fail, fail, fail, fail, fail}
	if got := verdicts(targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("verdicts = %v, want %v\n%s", got, want, targetLines(targets))
	}
	if !failed(targets) {
		t.Fatal("failed() on failing targets")
	}
}

func TestCheckTargetsListCallsPerBusiness(t *testing.T) {
	m := sample()
	m.Scenarios[0].PlansRefresh = plansOf(99, time.Second) // one business was not listed
	if got := checkListCallsPerPlan(m); got.Verdict != fail || !strings.Contains(got.Detail, "many: 99 (want 100)") {
		t.Fatalf("target = %+v, want a failure naming the scenario", got)
	}
}

func TestCheckTargetsSkipWhatIsNotMeasured(t *testing.T) {
	m := sample()
	m.Results, m.Scenarios = m.Results[:1], nil
	targets := checkTargets(m)
	want := []verdict{skip, skip, skip, skip, pass, pass, pass}
	if got := verdicts(targets); !reflect.DeepEqual(got, want) {
		t.Fatalf("verdicts = %v, want %v\n%s", got, want, targetLines(targets))
	}
	if failed(targets) {
		t.Fatal("a skipped target counts as failed")
	}
	if got := checkTargets(measured{}); !failed(got) {
		t.Fatal("no results at all must fail")
	}
}

func TestFloorTable(t *testing.T) {
	m := sample()
	m.Results = m.Results[:1]
	got := floorTable(m)
	want := `| N   | command             | this provider s | API calls                | floor s (terraform_data + API) | ratio | CPU s: this provider (its processes) | CPU s: terraform_data |
| --: | ------------------- | --------------: | -----------------------: | -----------------------------: | ----: | -----------------------------------: | --------------------: |
| 100 | apply               |            1.50 |   100 subscribe + 1 list |             1.00 + 0.50 = 1.50 |  1.00 |                          0.40 (0.20) |                  0.30 |
| 100 | plan                |            0.30 |                   1 list |             0.20 + 0.05 = 0.25 |  1.20 |                          0.15 (0.10) |                  0.10 |
| 100 | plan -refresh=false |            0.26 |                   0 list |             0.20 + 0.00 = 0.20 |  1.30 |                          0.13 (0.00) |                  0.10 |
| 100 | destroy             |            1.50 | 100 unsubscribe + 1 list |             1.00 + 0.50 = 1.50 |  1.00 |                          0.40 (0.00) |                  0.30 |
`
	if got != want {
		t.Fatalf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestRenderDocument(t *testing.T) {
	m := sample()
	doc := renderDocument(report{
		measured:    m,
		Date:        time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Machine:     machine{CPUs: 2, CPUModel: "Some CPU", MemTotal: "7.8 GiB", Go: "go version go1.26 linux/amd64", Terraform: "Terraform v1.11.4"},
		Targets:     checkTargets(m),
		GoBench:     "BenchmarkDecodeList1000-2 1 2 ns/op",
		ProviderEnv: map[string]string{"GOGC": "50"},
		Duration:    90 * time.Second,
	}, "out/BENCHMARKS.svg")
	for _, want := range []string{
		"2026-01-02 03:04 UTC", "the run took 1m30s",
		"![Time of each command against N: this provider beside its floor](BENCHMARKS.svg)",
		"2 × Some CPU", "7.8 GiB", "go version go1.26", "Terraform v1.11.4",
		"50ms of latency", "parallelism 10", "`GOGC=50`",
		"| 1000 | apply", "**PASS**", "BenchmarkDecodeList1000-2",
		"### many", "### faulted", "The first apply **failed** in 30.00 s", "299 of 300 subscriptions", "2 applies in all to converge",
		"### quick",
		"make bench", "-n 100,300,1000 -latency 50ms -plans 5",
		"generation", "terraform_data",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
}

func TestRenderChart(t *testing.T) {
	svg := renderChart(sample())
	// Well-formed XML, one panel a command, one line a series in each.
	dec := xml.NewDecoder(strings.NewReader(svg))
	elements := map[string]int{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the chart is not well-formed XML: %v\n%s", err, svg)
		}
		if start, ok := tok.(xml.StartElement); ok {
			elements[start.Name.Local]++
		}
	}
	if got, want := elements["polyline"], len(opOrder)*len(chartLines); got != want {
		t.Errorf("%d lines, want %d", got, want)
	}
	if got, want := elements["circle"], len(opOrder)*len(chartLines)*3; got != want {
		t.Errorf("%d points, want %d", got, want)
	}
	for _, op := range opOrder {
		if !strings.Contains(svg, ">"+html.EscapeString(op)+"</text>") {
			t.Errorf("no panel titled %q", op)
		}
	}
}

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct{ most, want float64 }{
		{0, 1}, {1, 0.2}, {4.3, 1}, {9, 2}, {26.7, 10}, {30.5, 10}, {0.4, 0.1},
	} {
		if got := niceStep(tc.most); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("niceStep(%v) = %v, want %v", tc.most, got, tc.want)
		}
	}
}

func TestReadUsage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("1"+startedSuffix, "")
	write("1"+reportedSuffix, "20480 1500000\n")
	write("2"+startedSuffix, "")
	write("2"+reportedSuffix, "51200 250000\n")
	write("3"+startedSuffix, "") // killed before it reported
	got := collectUsage(dir, 0)
	want := usage{MaxKiB: 51200, CPU: 1750 * time.Millisecond, Processes: 2, Unreported: 1}
	if got != want {
		t.Fatalf("collectUsage = %+v, want %+v", got, want)
	}
	if got.MiB() != 50 {
		t.Fatalf("MiB = %v", got.MiB())
	}
}

func TestProviderEnviron(t *testing.T) {
	env := []string{"A=1", "GOGC=100", envProviderPrefix + "GOGC=50", envWrapProvider + "=/x", envRSSDir + "=/y"}
	got := providerEnviron(env)
	want := []string{"A=1", "GOGC=100", "GOGC=50"} // os/exec keeps the last of a name
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("providerEnviron = %q, want %q", got, want)
	}
}

func TestErrorSummaries(t *testing.T) {
	log := filepath.Join(t.TempDir(), "apply.log")
	text := "vcita_webhook_subscription.a[1]: Creation complete after 2s [id=1309]\n\n" +
		"Error: vcita API Unavailable\n\n  with vcita_webhook_subscription.a[89],\n\n" +
		"│ Error: Rate Limit Exhausted\n│\n" +
		"Error: vcita API Unavailable\n\nCould not subscribe. Error: not a summary\n"
	if err := os.WriteFile(log, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	want := `"vcita API Unavailable" × 2, "Rate Limit Exhausted" × 1`
	if got := errorSummaries(log); got != want {
		t.Fatalf("errorSummaries = %s, want %s", got, want)
	}
	if got := errorSummaries(filepath.Join(t.TempDir(), "missing.log")); got != "" {
		t.Fatalf("errorSummaries of no log = %q, want none", got)
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

func TestScenarioTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range scenarios {
		if s.Name == "" || seen[s.Name] {
			t.Errorf("scenario %q: names must be set and distinct", s.Name)
		}
		seen[s.Name] = true
		if s.About == "" || s.Resources == "" || s.Subscriptions < 1 || s.Businesses < 1 || s.Attempts < 1 {
			t.Errorf("scenario %s: About, Resources, Subscriptions, Businesses and Attempts must be set: %+v", s.Name, s)
		}
		if err := s.Faults.Validate(); err != nil {
			t.Errorf("scenario %s: faults: %v", s.Name, err)
		}
		if s.Attempts > 1 && s.Faults.Rate == 0 {
			t.Errorf("scenario %s: an apply without faults must succeed the first time", s.Name)
		}
	}
}

func TestDistinctEvents(t *testing.T) {
	events := distinctEvents()
	if len(events) != 65 {
		t.Fatalf("%d distinct events, want the 65 subscriptions the catalogue's 78 events name", len(events))
	}
	for i, a := range events {
		if !catalog.Known(a) {
			t.Errorf("%q is not in the catalogue", a)
		}
		for _, b := range events[i+1:] {
			if catalog.Equivalent(a, b) {
				t.Errorf("%q and %q are one event", a, b)
			}
		}
	}
}

func TestCheckScenarioPeakRSS(t *testing.T) {
	for _, tc := range []struct {
		peakMiB int64
		want    verdict
	}{{150, pass}, {200, fail}, {0, fail}} {
		s := scenarioResult{scenario: scenario{Name: "list-100k", PeakRSSUnderMiB: 200}, lifecycle: lifecycle{Provider: map[string]usage{}}}
		if tc.peakMiB > 0 {
			s.Provider[opPlan] = usage{MaxKiB: tc.peakMiB * 1024, Processes: 2}
		}
		if got := checkScenarioPeakRSS(s); got.Verdict != tc.want || !strings.Contains(got.Name, "list-100k: peak provider RSS < 200 MiB") {
			t.Errorf("peak %d MiB: target = %+v, want %v", tc.peakMiB, got, tc.want)
		}
	}
}
