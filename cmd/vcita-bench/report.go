package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Targets of the issue, as checked by the benchmark, at N = targetN.
const (
	targetN         = 1000
	maxApplyRatio   = 1.15
	maxDestroyRatio = 1.10
	maxRefreshRatio = 1.35
	maxPeakRSSMiB   = 100
)

// measured is everything the run measured.
type measured struct {
	Latency   time.Duration
	Plans     int
	Results   []result
	Scenarios []scenarioResult
}

// result is what one N measured: this provider's life cycle of N
// subscriptions, and its floor's.
type result struct {
	N        int
	Provider lifecycle
	// Floor is the life cycle of N terraform_data resources.
	Floor lifecycle
}

// median returns the median of ds (the mean of the middle two for an even
// count), or 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid]
	}
	return (sorted[mid-1] + sorted[mid]) / 2
}

func walls(runs []planRun) []time.Duration {
	out := make([]time.Duration, len(runs))
	for i, r := range runs {
		out[i] = r.Wall
	}
	return out
}

func maxListCalls(runs []planRun) int {
	most := 0
	for _, r := range runs {
		most = max(most, r.ListCalls)
	}
	return most
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }

// floorTable renders each command at each N against its floor.
func floorTable(m measured) string {
	header := []string{
		"N", "command", "this provider s", "API calls", "floor s (terraform_data + API)", "ratio",
		"CPU s: this provider (its processes)", "CPU s: terraform_data",
	}
	var rows [][]string
	for _, r := range m.Results {
		for _, c := range r.comparisons(m.Latency) {
			rows = append(rows, []string{
				strconv.Itoa(r.N), c.Op, seconds(c.Provider), r.callsOf(c.Op),
				fmt.Sprintf("%s + %s = %s", seconds(c.Terraform), seconds(c.API), seconds(c.Floor())),
				strconv.FormatFloat(c.Ratio(), 'f', 2, 64),
				fmt.Sprintf("%s (%s)", seconds(c.CPU), seconds(c.ProviderCPU)), seconds(c.TerraformCPU),
			})
		}
	}
	return markdownTable(header, rows)
}

// callsOf says which API calls the provider's command made (for plans, the
// most list calls of one).
func (r result) callsOf(op string) string {
	switch op {
	case opApply:
		c := r.Provider.Apply().Calls
		return fmt.Sprintf("%d subscribe + %d list", c.Subscribe, c.List)
	case opPlan:
		return fmt.Sprintf("%d list", maxListCalls(r.Provider.PlansRefresh))
	case opNoRefresh:
		return fmt.Sprintf("%d list", maxListCalls(r.Provider.PlansNoRefresh))
	default:
		c := r.Provider.Destroy.Calls
		return fmt.Sprintf("%d unsubscribe + %d list", c.Unsubscribe, c.List)
	}
}

// planTable renders the plans and the memory of each N.
func planTable(m measured) string {
	header := []string{
		"N", "plan s refresh median", "plan s -refresh=false median", "refresh ratio",
		fmt.Sprintf("list calls per plan (max of %d)", m.Plans), "peak provider RSS MiB",
	}
	var rows [][]string
	for _, r := range m.Results {
		rows = append(rows, []string{
			strconv.Itoa(r.N),
			seconds(r.Provider.PlanRefreshMedian()),
			seconds(r.Provider.PlanNoRefreshMedian()),
			strconv.FormatFloat(r.Provider.RefreshRatio(), 'f', 2, 64),
			strconv.Itoa(maxListCalls(r.Provider.PlansRefresh)),
			strconv.FormatFloat(r.Provider.ProviderUsage().MiB(), 'f', 1, 64),
		})
	}
	return markdownTable(header, rows)
}

// markdownTable renders a Markdown table with padded columns: numbers
// right-aligned, words (a column whose cells do not start with a digit)
// left-aligned.
func markdownTable(header []string, rows [][]string) string {
	widths := make([]int, len(header))
	numeric := make([]bool, len(header))
	for i, h := range header {
		widths[i], numeric[i] = len(h), true
	}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
			if cell == "" || cell[0] < '0' || cell[0] > '9' {
				numeric[i] = false
			}
		}
	}
	pad := func(i int, cell string) string {
		fill := strings.Repeat(" ", widths[i]-len(cell))
		if numeric[i] {
			return fill + cell
		}
		return cell + fill
	}
	var b strings.Builder
	line := func(cells []string, pad func(i int, cell string) string) {
		b.WriteString("|")
		for i, cell := range cells {
			b.WriteString(" " + pad(i, cell) + " |")
		}
		b.WriteString("\n")
	}
	line(header, func(i int, cell string) string { return cell + strings.Repeat(" ", widths[i]-len(cell)) })
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = strings.Repeat("-", widths[i])
		if numeric[i] {
			seps[i] = seps[i][1:] + ":"
		}
	}
	line(seps, func(_ int, cell string) string { return cell })
	for _, row := range rows {
		line(row, pad)
	}
	return b.String()
}

// verdict is the outcome of one target.
type verdict string

const (
	pass verdict = "PASS"
	fail verdict = "FAIL"
	// skip is a target the chosen -n does not measure.
	skip verdict = "SKIP"
)

// target is one checked target.
type target struct {
	Name    string
	Verdict verdict
	Detail  string
}

// checkTargets checks the targets against what was measured, one
// target each.
func checkTargets(m measured) []target {
	if len(m.Results) == 0 && len(m.Scenarios) == 0 {
		return []target{{Name: "measurements", Verdict: fail, Detail: "nothing was measured"}}
	}
	targets := []target{
		checkApplyRatio(m),
		checkDestroyRatio(m),
		checkRefreshOverhead(m),
		checkPeakRSS(m),
		checkListCallsPerPlan(m),
		checkNoChangesAfterApply(m),
		checkDestroyLeavesNothing(m),
	}
	for _, s := range m.Scenarios {
		if s.ApplyUnder > 0 {
			targets = append(targets, checkScenarioApply(s))
		}
		if s.PeakRSSUnderMiB > 0 {
			targets = append(targets, checkScenarioPeakRSS(s))
		}
	}
	return targets
}

// atTargetN finds the result the ratio and memory targets are checked on.
func atTargetN(m measured, t target) (result, target, bool) {
	if r, ok := findN(m.Results, targetN); ok {
		return r, t, true
	}
	t.Verdict, t.Detail = skip, fmt.Sprintf("N=%d was not measured", targetN)
	return result{}, t, false
}

// checkFloorRatio: at N = targetN, the command takes at most most times its
// floor.
func checkFloorRatio(m measured, op string, most float64) target {
	r, t, ok := atTargetN(m, target{Name: fmt.Sprintf("%s at N=%d <= %.2f × floor (terraform_data + API time)", op, targetN, most)})
	if !ok {
		return t
	}
	c := r.comparison(op, m.Latency)
	t.Verdict = pass
	if c.Ratio() > most || c.Ratio() == 0 {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%.2f (%s s / (%s s + %s s))", c.Ratio(), seconds(c.Provider), seconds(c.Terraform), seconds(c.API))
	return t
}

func checkApplyRatio(m measured) target   { return checkFloorRatio(m, opApply, maxApplyRatio) }
func checkDestroyRatio(m measured) target { return checkFloorRatio(m, opDestroy, maxDestroyRatio) }

// checkRefreshOverhead: at N = targetN, the median plan with refresh takes
// at most maxRefreshRatio times the median without.
func checkRefreshOverhead(m measured) target {
	r, t, ok := atTargetN(m, target{Name: fmt.Sprintf("plan with refresh at N=%d <= %.2f × plan with -refresh=false (medians)", targetN, maxRefreshRatio)})
	if !ok {
		return t
	}
	p := r.Provider
	t.Verdict = pass
	if p.RefreshRatio() > maxRefreshRatio || p.RefreshRatio() == 0 {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%.2f (%s s / %s s)", p.RefreshRatio(), seconds(p.PlanRefreshMedian()), seconds(p.PlanNoRefreshMedian()))
	return t
}

// checkPeakRSS: at N = targetN no provider process grows past
// maxPeakRSSMiB.
func checkPeakRSS(m measured) target {
	r, t, ok := atTargetN(m, target{Name: fmt.Sprintf("peak provider RSS at N=%d < %d MiB", targetN, maxPeakRSSMiB)})
	if !ok {
		return t
	}
	peak := r.Provider.ProviderUsage()
	t.Verdict = pass
	if peak.Processes == 0 || peak.MiB() >= maxPeakRSSMiB {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%.1f MiB (max over %d provider processes)", peak.MiB(), peak.Processes)
	return t
}

// checkListCallsPerPlan: every plan with refresh lists each business once:
// one list call at every N, and as many as the scenario has businesses in
// each scenario without faults (where a faulted list is retried, and each
// attempt counts).
func checkListCallsPerPlan(m measured) target {
	t := target{Name: "list calls per plan = 1 per business, at every N and in every scenario without faults (every plan with refresh)", Verdict: pass}
	var parts []string
	check := func(label string, plans []planRun, businesses int) {
		for _, p := range plans {
			if p.ListCalls != businesses {
				t.Verdict = fail
			}
		}
		if len(plans) == 0 {
			t.Verdict = fail
		}
		parts = append(parts, fmt.Sprintf("%s: %s (want %d)", label, planLists(plans), businesses))
	}
	for _, r := range m.Results {
		check(fmt.Sprintf("N=%d", r.N), r.Provider.PlansRefresh, 1)
	}
	for _, s := range m.Scenarios {
		if s.Faults.Rate == 0 {
			check(s.Name, s.PlansRefresh, s.Businesses)
		}
	}
	t.Detail = strings.Join(parts, "; ")
	return t
}

// checkNoChangesAfterApply: every plan on the applied state exits 0.
func checkNoChangesAfterApply(m measured) target {
	t := target{Name: "every plan after apply reports no changes (-detailed-exitcode 0)", Verdict: pass, Detail: "every plan exited 0"}
	bad := []string{}
	add := func(label string, l lifecycle) {
		for i, p := range append(slices.Clone(l.PlansRefresh), l.PlansNoRefresh...) {
			if p.ExitCode != 0 {
				bad = append(bad, fmt.Sprintf("%s plan %d exited %d", label, i+1, p.ExitCode))
			}
		}
	}
	for _, r := range m.Results {
		add(fmt.Sprintf("N=%d", r.N), r.Provider)
	}
	for _, s := range m.Scenarios {
		if s.Faults.Rate == 0 {
			add(s.Name, s.lifecycle)
		}
	}
	if len(bad) > 0 {
		t.Verdict, t.Detail = fail, strings.Join(bad, ", ")
	}
	return t
}

// checkDestroyLeavesNothing: after every destroy the stub is empty.
func checkDestroyLeavesNothing(m measured) target {
	t := target{Name: "destroy leaves the stub empty", Verdict: pass}
	parts := []string{}
	add := func(label string, left int) {
		if left != 0 {
			t.Verdict = fail
		}
		parts = append(parts, fmt.Sprintf("%s: %d left", label, left))
	}
	for _, r := range m.Results {
		add(fmt.Sprintf("N=%d", r.N), r.Provider.LeftAfterDestroy)
	}
	for _, s := range m.Scenarios {
		add(s.Name, s.LeftAfterDestroy)
	}
	t.Detail = strings.Join(parts, ", ")
	return t
}

// checkScenarioApply: the scenario's first apply succeeds in under its
// ApplyUnder.
func checkScenarioApply(s scenarioResult) target {
	t := target{Name: fmt.Sprintf("%s: the apply succeeds in under %s", s.Name, seconds(s.ApplyUnder)+" s")}
	apply := s.Apply()
	t.Verdict = pass
	if !s.FirstApplySucceeded() || apply.Wall >= s.ApplyUnder {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%s s, %d subscribe and %d list calls", seconds(apply.Wall), apply.Calls.Subscribe, apply.Calls.List)
	return t
}

// checkScenarioPeakRSS: no provider process of the scenario grows past its
// PeakRSSUnderMiB.
func checkScenarioPeakRSS(s scenarioResult) target {
	t := target{Name: fmt.Sprintf("%s: peak provider RSS < %.0f MiB", s.Name, s.PeakRSSUnderMiB), Verdict: pass}
	peak := s.ProviderUsage()
	if peak.Processes == 0 || peak.MiB() >= s.PeakRSSUnderMiB {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%.1f MiB over %d provider processes", peak.MiB(), peak.Processes)
	return t
}

func findN(results []result, n int) (result, bool) {
	for _, r := range results {
		if r.N == n {
			return r, true
		}
	}
	return result{}, false
}

// failed reports whether any target failed.
func failed(targets []target) bool {
	return slices.ContainsFunc(targets, func(t target) bool { return t.Verdict == fail })
}

// targetLines renders the targets as a Markdown list.
func targetLines(targets []target) string {
	var b strings.Builder
	for _, t := range targets {
		fmt.Fprintf(&b, "- **%s** %s: %s\n", t.Verdict, t.Name, t.Detail)
	}
	return b.String()
}

// parseSizes reads the -n flag: positive, distinct counts separated by commas.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, field := range commaFields(s) {
		n, err := strconv.Atoi(field)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a positive count", field)
		}
		if slices.Contains(sizes, n) {
			return nil, fmt.Errorf("%d is given twice", n)
		}
		sizes = append(sizes, n)
	}
	if len(sizes) == 0 {
		return nil, fmt.Errorf("no counts in %q", s)
	}
	return sizes, nil
}

// commaFields returns the fields of a comma-separated list, trimmed, without
// empty ones.
func commaFields(s string) []string {
	var fields []string
	for field := range strings.SplitSeq(s, ",") {
		if field = strings.TrimSpace(field); field != "" {
			fields = append(fields, field)
		}
	}
	return fields
}
