package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Targets of the issue, as checked by the benchmark.
const (
	maxListCallsPerPlan = 2
	maxRefreshRatio     = 1.3
	ratioAtN            = 300
	maxLinearityFactor  = 1.5
	maxPeakRSSMiB       = 100
	peakRSSAtN          = 1000
)

// result is what one N measured.
type result struct {
	N int

	Apply      time.Duration
	ApplyCalls calls

	// One entry per plan, in the order run.
	PlansRefresh   []planRun
	PlansNoRefresh []planRun

	Destroy      time.Duration
	DestroyCalls calls
	// LeftAfterDestroy is how many subscriptions the stub still held after
	// the destroy.
	LeftAfterDestroy int

	// Peak memory of the provider, by operation ("apply", "plan",
	// "plan -refresh=false", "destroy").
	RSS map[string]rss
}

// calls counts API requests by operation.
type calls struct{ Subscribe, Unsubscribe, List int }

// planRun is one terraform plan.
type planRun struct {
	Wall      time.Duration
	ListCalls int
	// ExitCode is plan's -detailed-exitcode: 0 no changes, 2 changes.
	ExitCode int
}

// rss is the peak memory of the provider processes of some commands.
type rss struct {
	// MaxKiB is the largest maximum resident set size of any of them.
	MaxKiB int64
	// Processes is how many provider processes reported; Unreported how
	// many started but never reported (killed before they could).
	Processes, Unreported int
}

func (r rss) merge(o rss) rss {
	return rss{MaxKiB: max(r.MaxKiB, o.MaxKiB), Processes: r.Processes + o.Processes, Unreported: r.Unreported + o.Unreported}
}

func (r rss) MiB() float64 { return float64(r.MaxKiB) / 1024 }

// PeakRSS is the peak over every operation of this N.
func (r result) PeakRSS() rss {
	var peak rss
	for _, op := range r.RSS {
		peak = peak.merge(op)
	}
	return peak
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

func (r result) PlanRefreshMedian() time.Duration   { return median(walls(r.PlansRefresh)) }
func (r result) PlanNoRefreshMedian() time.Duration { return median(walls(r.PlansNoRefresh)) }

// RefreshRatio is the median plan time with refresh over the median without.
func (r result) RefreshRatio() float64 {
	without := r.PlanNoRefreshMedian()
	if without <= 0 {
		return 0
	}
	return float64(r.PlanRefreshMedian()) / float64(without)
}

// ApplyPerSubscription is the apply wall time divided by N.
func (r result) ApplyPerSubscription() time.Duration {
	if r.N == 0 {
		return 0
	}
	return r.Apply / time.Duration(r.N)
}

// ApplyFloor is what the apply's API round trips cost at best, with
// Terraform's parallelism the only bound: every subscribe and list call
// waits for the stub's latency, ten at a time.
func (r result) ApplyFloor(latency time.Duration, parallelism int) time.Duration {
	return time.Duration(r.ApplyCalls.Subscribe+r.ApplyCalls.List) * latency / time.Duration(parallelism)
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }

// tableHeader is the header of the one table of the report.
func tableHeader(plans int) []string {
	return []string{
		"N",
		"apply s",
		"apply calls (subscribe/list)",
		"plan s refresh median",
		"plan s -refresh=false median",
		"ratio",
		fmt.Sprintf("list calls per plan (max of %d)", plans),
		"destroy s",
		"peak provider RSS MiB",
	}
}

// tableRows renders the results, one row per N.
func tableRows(results []result) [][]string {
	rows := make([][]string, 0, len(results))
	for _, r := range results {
		rows = append(rows, []string{
			strconv.Itoa(r.N),
			seconds(r.Apply),
			fmt.Sprintf("%d/%d", r.ApplyCalls.Subscribe, r.ApplyCalls.List),
			seconds(r.PlanRefreshMedian()),
			seconds(r.PlanNoRefreshMedian()),
			strconv.FormatFloat(r.RefreshRatio(), 'f', 2, 64),
			strconv.Itoa(maxListCalls(r.PlansRefresh)),
			seconds(r.Destroy),
			strconv.FormatFloat(r.PeakRSS().MiB(), 'f', 1, 64),
		})
	}
	return rows
}

// markdownTable renders a Markdown table with padded columns, right-aligned
// (every cell of the table is a number).
func markdownTable(header []string, rows [][]string) string {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = len(h)
	}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
		}
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
		seps[i] = strings.Repeat("-", widths[i]-1) + ":"
	}
	line(seps, func(_ int, cell string) string { return cell })
	for _, row := range rows {
		line(row, func(i int, cell string) string { return strings.Repeat(" ", widths[i]-len(cell)) + cell })
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

// checkTargets checks the targets against the results, one
// target each.
func checkTargets(results []result, plans int) []target {
	if len(results) == 0 {
		return []target{{Name: "measurements", Verdict: fail, Detail: "nothing was measured"}}
	}
	return []target{
		checkListCallsPerPlan(results, plans),
		checkNoChangesAfterApply(results),
		checkRefreshOverhead(results),
		checkApplyLinearity(results),
		checkDestroyLeavesNothing(results),
		checkPeakRSS(results),
	}
}

// checkListCallsPerPlan: every plan with refresh makes at most
// maxListCallsPerPlan list calls, at every N.
func checkListCallsPerPlan(results []result, plans int) target {
	t := target{
		Name:    fmt.Sprintf("a plan makes at most %d list calls, at every N (max over the %d plans with refresh)", maxListCallsPerPlan, plans),
		Verdict: pass,
	}
	parts := []string{}
	for _, r := range results {
		n := maxListCalls(r.PlansRefresh)
		if n > maxListCallsPerPlan || len(r.PlansRefresh) == 0 {
			t.Verdict = fail
		}
		parts = append(parts, fmt.Sprintf("N=%d: %d", r.N, n))
	}
	t.Detail = strings.Join(parts, ", ")
	return t
}

// checkNoChangesAfterApply: every plan on the applied state exits 0.
func checkNoChangesAfterApply(results []result) target {
	t := target{Name: "every plan after apply reports no changes (-detailed-exitcode 0)", Verdict: pass, Detail: "every plan exited 0"}
	bad := []string{}
	for _, r := range results {
		for i, p := range append(slices.Clone(r.PlansRefresh), r.PlansNoRefresh...) {
			if p.ExitCode != 0 {
				bad = append(bad, fmt.Sprintf("N=%d plan %d exited %d", r.N, i+1, p.ExitCode))
			}
		}
	}
	if len(bad) > 0 {
		t.Verdict, t.Detail = fail, strings.Join(bad, ", ")
	}
	return t
}

// checkRefreshOverhead: at N = ratioAtN, the median plan with refresh takes
// at most maxRefreshRatio times the median without.
func checkRefreshOverhead(results []result) target {
	t := target{Name: fmt.Sprintf("refresh overhead at N=%d: median plan time with refresh / median with -refresh=false <= %.1f", ratioAtN, maxRefreshRatio)}
	r, ok := findN(results, ratioAtN)
	if !ok {
		t.Verdict, t.Detail = skip, fmt.Sprintf("N=%d was not measured", ratioAtN)
		return t
	}
	ratio := r.RefreshRatio()
	t.Verdict = pass
	if ratio > maxRefreshRatio || ratio == 0 {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%.2f (%s s / %s s)", ratio, seconds(r.PlanRefreshMedian()), seconds(r.PlanNoRefreshMedian()))
	return t
}

// checkApplyLinearity: the apply time per subscription at the largest N is
// at most maxLinearityFactor times that at the smallest.
func checkApplyLinearity(results []result) target {
	t := target{Name: fmt.Sprintf("apply scales linearly: apply time per subscription at the largest N <= %.1fx that at the smallest N", maxLinearityFactor)}
	smallest, largest := results[0], results[0]
	for _, r := range results {
		if r.N < smallest.N {
			smallest = r
		}
		if r.N > largest.N {
			largest = r
		}
	}
	if smallest.N == largest.N {
		t.Verdict, t.Detail = skip, "needs two sizes of N"
		return t
	}
	lo, hi := smallest.ApplyPerSubscription(), largest.ApplyPerSubscription()
	factor := float64(hi) / float64(lo)
	t.Verdict = pass
	if lo <= 0 || factor > maxLinearityFactor {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%.1f ms at N=%d, %.1f ms at N=%d: %.2fx", ms(lo), smallest.N, ms(hi), largest.N, factor)
	return t
}

// checkDestroyLeavesNothing: after every destroy the stub is empty.
func checkDestroyLeavesNothing(results []result) target {
	t := target{Name: "destroy leaves the stub empty", Verdict: pass}
	parts := []string{}
	for _, r := range results {
		if r.LeftAfterDestroy != 0 {
			t.Verdict = fail
		}
		parts = append(parts, fmt.Sprintf("N=%d: %d left", r.N, r.LeftAfterDestroy))
	}
	t.Detail = strings.Join(parts, ", ")
	return t
}

// checkPeakRSS: at N = peakRSSAtN no provider process grows past
// maxPeakRSSMiB.
func checkPeakRSS(results []result) target {
	t := target{Name: fmt.Sprintf("peak provider RSS at N=%d < %d MiB", peakRSSAtN, maxPeakRSSMiB)}
	r, ok := findN(results, peakRSSAtN)
	if !ok {
		t.Verdict, t.Detail = skip, fmt.Sprintf("N=%d was not measured", peakRSSAtN)
		return t
	}
	peak := r.PeakRSS()
	t.Verdict = pass
	if peak.Processes == 0 || peak.MiB() >= maxPeakRSSMiB {
		t.Verdict = fail
	}
	t.Detail = fmt.Sprintf("%.1f MiB (max over %d provider processes)", peak.MiB(), peak.Processes)
	return t
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

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
	for field := range strings.SplitSeq(s, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
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
