//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The drift-detection guide (templates/guides/drift-detection.md.tmpl)
// shows examples/guides/drift-detection: its configuration and its CI
// script. These tests run both as the guide says, against the stub.

const (
	guideDir    = "guides/drift-detection"
	guideScript = "drift-check.sh"
	// driftWorkflow runs guideScript in CI.
	driftWorkflow = "ci/drift-detection.yml"
	// crmURL is the endpoint of the guide's configuration.
	crmURL = "https://hooks.example.com/vcita/crm"
)

// newGuideWorkspace writes the guide's example into a workspace, and
// applies it.
func newGuideWorkspace(t *testing.T) *workspace {
	t.Helper()
	w := newWorkspace(t, exampleFiles(t, guideDir))
	if err := os.Chmod(filepath.Join(w.Dir, guideScript), 0o755); err != nil {
		t.Fatal(err)
	}
	w.must("apply", apply)
	return w
}

// runScript runs the guide's script as the guide's workflow runs it (the
// step of examples/ci/drift-detection.yml that runs it, its output sent to a
// log and then printed, the exit code recorded in $GITHUB_OUTPUT), with the
// workspace's CLI as `terraform` on PATH, and returns the exit code the step
// recorded and the output it printed. On drift, the step's summary must show
// that output too.
func (w *workspace) runScript() (int, string) {
	w.t.Helper()
	var step workflowStep
	for _, s := range exampleWorkflowJob(w.t, driftWorkflow).Steps {
		if s.Name == guideScript {
			step = s
		}
	}
	if step.Run == "" {
		w.t.Fatalf("examples/%s has no step %q", driftWorkflow, guideScript)
	}
	temp := w.t.TempDir()
	output, summary, env := filepath.Join(temp, "github_output"), filepath.Join(temp, "step_summary"), filepath.Join(temp, "github_env")
	for _, file := range []string{output, summary, env} {
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			w.t.Fatal(err)
		}
	}
	r := &runner{t: w.t, workspace: w.Workspace, dir: w.Dir, temp: temp, vars: map[string]string{
		"PATH":                terraformOnPath(w.t, w.CLI) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GITHUB_OUTPUT":       output,
		"GITHUB_STEP_SUMMARY": summary,
		"GITHUB_ENV":          env,
	}}
	out := r.run(0, step)
	recorded, err := os.ReadFile(output)
	if err != nil {
		w.t.Fatal(err)
	}
	code, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(string(recorded), "exitcode=")))
	if err != nil {
		w.t.Fatalf("the step recorded %q in $GITHUB_OUTPUT, want exitcode=<code>", recorded)
	}
	// The log holds what the script printed and nothing else: its verdict
	// first (init prints nothing here), no byte of the plan's own output,
	// which the script keeps in a file of its own and prints only when the
	// plan fails.
	startsWithVerdict := slices.ContainsFunc([]string{verdictClean, verdictDrift, verdictCheckOnly}, func(v string) bool { return strings.HasPrefix(out, v) })
	if !startsWithVerdict || strings.Contains(out, "\x00") || strings.Contains(out, "Refreshing state...") {
		w.t.Errorf("the step's log is not the script's output alone:\n%q", out)
	}
	if shown, _ := os.ReadFile(summary); code == 2 && !strings.Contains(string(shown), strings.TrimSpace(out)) {
		w.t.Errorf("the step summary of a drift should show the script's output %q; it holds:\n%s", out, shown)
	}
	return code, out
}

// The script's verdicts: each outcome prints its own, and no other.
const (
	verdictClean     = "No drift: the webhook subscriptions match the configuration."
	verdictDrift     = "Drift: the webhook subscriptions differ from the configuration."
	verdictCheckOnly = "No change is planned, but a check block did not pass."
	verdictChecks    = "A check block did not pass:"
)

// expectVerdicts fails the test unless the script exited code and printed
// exactly the verdicts want of the four.
func expectVerdicts(t *testing.T, code int, out string, wantCode int, want ...string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("the script exited %d, want %d:\n%s", code, wantCode, out)
	}
	for _, verdict := range []string{verdictClean, verdictDrift, verdictCheckOnly, verdictChecks} {
		if got, wanted := strings.Contains(out, verdict), slices.Contains(want, verdict); got != wanted {
			t.Errorf("the script printed %q: %v, want %v:\n%s", verdict, got, wanted, out)
		}
	}
}

func TestDriftGuideScriptPassesWithoutDrift(t *testing.T) {
	t.Parallel()
	w := newGuideWorkspace(t)
	code, out := w.runScript()
	expectVerdicts(t, code, out, 0, verdictClean)
	w.destroyAll()
}

func TestDriftGuideScriptReportsADeletedSubscriptionAsDrift(t *testing.T) {
	t.Parallel()
	w := newGuideWorkspace(t)
	w.stub.Remove(w.stub.All()[0].ID)
	code, out := w.runScript()
	expectVerdicts(t, code, out, 2, verdictDrift)
	if !strings.Contains(out, "Plan: 1 to add, 0 to change, 0 to destroy.") {
		t.Errorf("the script should show the plan that re-creates it:\n%s", out)
	}
	w.must("apply", apply)
	w.destroyAll()
}

// An unmanaged subscription alone plans no change (plan exits 0): the
// script once said "No drift" and then that a check failed, and exited 2.
func TestDriftGuideScriptReportsAnUnmanagedSubscriptionAlone(t *testing.T) {
	t.Parallel()
	w := newGuideWorkspace(t)
	extra, err := w.stub.Add("", "payment/paid", crmURL)
	if err != nil {
		t.Fatal(err)
	}
	code, out := w.runScript()
	expectVerdicts(t, code, out, 2, verdictCheckOnly, verdictChecks)
	if want := "check.no_unmanaged_subscriptions: fail"; !strings.Contains(out, want) {
		t.Errorf("the script should name the check, %q:\n%s", want, out)
	}
	w.stub.Remove(extra.ID)
	w.destroyAll()
}

// A subscription made by hand on the endpoint, and a managed one deleted:
// the check must still name the hand-made one. Comparing ids with the
// resources', as the guide once did, made the check "known after apply"
// while the plan re-created the deleted one, and it reported nothing.
func TestDriftGuideScriptReportsAnUnmanagedSubscriptionBesideADeletedOne(t *testing.T) {
	t.Parallel()
	w := newGuideWorkspace(t)
	managed := w.stub.All()
	w.stub.Remove(managed[0].ID)
	extra, err := w.stub.Add("", "payment/paid", crmURL)
	if err != nil {
		t.Fatal(err)
	}

	code, out := w.runScript()
	expectVerdicts(t, code, out, 2, verdictDrift, verdictChecks)
	for _, want := range []string{
		"Plan: 1 to add, 0 to change, 0 to destroy.",
		"A check block did not pass:\ncheck.no_unmanaged_subscriptions: fail",
		"does not manage: payment/paid (id " + strconv.FormatInt(extra.ID, 10) + ")",
	} {
		// The check's message is wrapped to the terminal's width.
		if !strings.Contains(oneLine(out), oneLine(want)) {
			t.Errorf("the script's output should say %q:\n%s", want, out)
		}
	}
	// The saved plan says the same to a program.
	plan, err := w.SavedPlan(t.Context(), "drift.tfplan")
	if err != nil {
		t.Fatal(err)
	}
	failed := false
	for _, check := range plan.Checks {
		if check.Address.ToDisplay == "check.no_unmanaged_subscriptions" {
			failed = check.Status == "fail"
		}
	}
	if !failed {
		t.Errorf("the plan's check no_unmanaged_subscriptions should have failed: %+v", plan.Checks)
	}
	if left := w.stub.All(); len(left) != len(managed) {
		t.Errorf("the check must change nothing on the API: %d subscriptions, want %d", len(left), len(managed))
	}
	w.stub.Remove(extra.ID)
	w.destroyAll()
}

// A check that cannot be evaluated at plan time checked nothing: the script
// must say so, not pass it over as the guide's first script did, which
// looked for failed assertions only. The check is the guide's first one,
// which compared ids with the resources'.
func TestDriftGuideScriptReportsACheckKnownOnlyAfterApply(t *testing.T) {
	t.Parallel()
	w := newGuideWorkspace(t)
	main, err := os.ReadFile(filepath.Join(w.Dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	config, _, found := strings.Cut(string(main), `check "no_unmanaged_subscriptions"`)
	if !found {
		t.Fatal("the guide's configuration has no check no_unmanaged_subscriptions")
	}
	w.writeFile("main.tf", config+`
check "compares_ids" {
  assert {
    condition = alltrue([
      for s in data.vcita_webhook_subscriptions.crm.subscriptions :
      contains([for r in vcita_webhook_subscription.crm : r.id], s.id)
    ])
    error_message = "The CRM endpoint has subscriptions this configuration does not manage."
  }
}
`)
	w.stub.Remove(w.stub.All()[0].ID)
	extra, err := w.stub.Add("", "payment/paid", crmURL)
	if err != nil {
		t.Fatal(err)
	}

	code, out := w.runScript()
	expectVerdicts(t, code, out, 2, verdictDrift, verdictChecks)
	if !strings.Contains(out, "A check block did not pass:\ncheck.compares_ids: unknown") {
		t.Errorf("a check known only after apply must be reported, got exit %d:\n%s", code, out)
	}
	w.stub.Remove(extra.ID)
	w.must("apply", apply)
	w.destroyAll()
}

// oneLine returns s with every run of white space a single space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
