// Package e2e runs the built provider binary through the real Terraform CLI,
// as a user does: dev_overrides instead of the in-process provider of the
// acceptance tests, so that logging, process start-up, signals and modules
// are exercised for real.
package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// providerDir holds the provider binary built once for the whole package.
var providerDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "vcita-e2e-provider-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-vcita"), "../..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the provider:", err)
		return 1
	}
	providerDir = dir
	return m.Run()
}

// workspace is one Terraform working directory wired to a stub.
type workspace struct {
	t    *testing.T
	dir  string
	stub *stub.Server
	env  []string
}

func newWorkspace(t *testing.T, files map[string]string) *workspace {
	t.Helper()
	s := stub.NewTestServer(t)
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"vcita/vcita\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"VCITA_API_TOKEN="+stub.DefaultToken,
		"VCITA_BASE_URL="+s.URL(),
		"VCITA_BUSINESS_ID=",
		"VCITA_MAX_RETRIES=",
		"VCITA_REQUEST_TIMEOUT=",
		"VCITA_ALLOW_UNKNOWN_EVENTS=",
		"TF_LOG=",
	)
	return &workspace{t: t, dir: dir, stub: s, env: env}
}

// terraform runs one command and returns its combined output and exit code.
func (w *workspace) terraform(extraEnv []string, args ...string) (string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "terraform", append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = append(append([]string(nil), w.env...), extraEnv...)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			w.t.Fatalf("terraform %v: %v", args, err)
		}
		code = exitErr.ExitCode()
	}
	return string(out), code
}

// mustTerraform runs a command that must exit with want.
func (w *workspace) mustTerraform(want int, args ...string) string {
	w.t.Helper()
	out, code := w.terraform(nil, args...)
	if code != want {
		w.t.Fatalf("terraform %s exited %d, want %d:\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

const providerBlock = `
terraform {
  required_providers {
    vcita = {
      source = "vcita/vcita"
    }
  }
}

provider "vcita" {}
`

func subscriptions(n int) string {
	return providerBlock + fmt.Sprintf(`
resource "vcita_webhook_subscription" "hook" {
  count      = %d
  event      = "client/created"
  target_url = "https://hooks.example.com/e2e/${count.index}"
}
`, n)
}

func TestTraceLogNeverShowsTheToken(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": subscriptions(2)})
	logPath := filepath.Join(t.TempDir(), "trace.log")
	traceEnv := []string{"TF_LOG=TRACE", "TF_LOG_PATH=" + logPath}
	for _, args := range [][]string{
		{"apply", "-auto-approve", "-input=false", "-no-color"},
		{"plan", "-input=false", "-no-color"},
		{"destroy", "-auto-approve", "-input=false", "-no-color"},
	} {
		if out, code := w.terraform(traceEnv, args...); code != 0 {
			t.Fatalf("terraform %s exited %d:\n%s", args[0], code, out)
		}
	}
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	// The log must hold the provider's own request lines, or the test
	// proves nothing.
	for _, want := range []string{"Sending vcita API request", "Received vcita API answer", "http_request_body"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the trace log has no %q line; the provider's logging is not captured", want)
		}
	}
	if strings.Contains(log, stub.DefaultToken) {
		t.Error("the token appears in the TF_LOG=TRACE log")
	}
	if !strings.Contains(log, `Authorization="***"`) {
		t.Error("the Authorization header is not logged masked")
	}
	if len(w.stub.All()) != 0 {
		t.Errorf("destroy left %d subscriptions", len(w.stub.All()))
	}
}

func TestDriftIsExitCodeTwoAndReapplyRepairsIt(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": subscriptions(3)})
	w.mustTerraform(0, "apply", "-auto-approve", "-input=false", "-no-color")
	w.mustTerraform(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")

	victim := w.stub.All()[1]
	w.stub.Remove(victim.ID)
	out := w.mustTerraform(2, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if !strings.Contains(out, "Plan: 1 to add, 0 to change, 0 to destroy.") {
		t.Errorf("the drift plan should be exactly one create:\n%s", out)
	}
	w.mustTerraform(0, "apply", "-auto-approve", "-input=false", "-no-color")
	w.mustTerraform(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if n := len(w.stub.All()); n != 3 {
		t.Errorf("after the repair the stub has %d subscriptions, want 3", n)
	}
	w.mustTerraform(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}

func TestFanoutModuleExample(t *testing.T) {
	t.Parallel()
	module, err := filepath.Abs("../../examples/modules/webhook-fanout")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"main.tf": providerBlock + `
module "crm" {
  source     = "./modules/webhook-fanout"
  target_url = "https://hooks.example.com/crm"
  events     = ["client/created", "lead/created", "appointment/scheduled"]
}

output "ids" {
  value = module.crm.subscription_ids
}
`}
	for _, name := range []string{"main.tf", "variables.tf", "outputs.tf"} {
		data, err := os.ReadFile(filepath.Join(module, name))
		if err != nil {
			t.Fatal(err)
		}
		files["modules/webhook-fanout/"+name] = string(data)
	}
	w := newWorkspace(t, files)
	// client/created and lead/created are one subscription to the API: the
	// module's set makes two resources of it, and the second gets the 422,
	// which says that the two resources name one subscription.
	w.mustTerraform(0, "get", "-no-color")
	out, code := w.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if code == 0 || !strings.Contains(out, "Two Resources Name One Webhook Subscription") {
		t.Fatalf("two spellings of one event must clash with the error that they name one subscription, got exit %d:\n%s", code, out)
	}

	files["main.tf"] = strings.Replace(files["main.tf"], `"lead/created", `, "", 1)
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(files["main.tf"]), 0o644); err != nil {
		t.Fatal(err)
	}
	// The clash left one of the two spellings on the API, not in the state
	// when it was lead/created: start from a clean API to keep this simple.
	for _, sub := range w.stub.All() {
		w.stub.Remove(sub.ID)
	}
	w.mustTerraform(0, "apply", "-auto-approve", "-input=false", "-no-color")
	w.mustTerraform(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	idsJSON := w.mustTerraform(0, "output", "-json", "ids")
	var ids map[string]string
	if err := json.Unmarshal([]byte(idsJSON), &ids); err != nil {
		t.Fatalf("output ids: %v\n%s", err, idsJSON)
	}
	if len(ids) != 2 || ids["client/created"] == "" || ids["appointment/scheduled"] == "" {
		t.Errorf("module output subscription_ids = %v", ids)
	}
	bad := strings.Replace(files["main.tf"], `"client/created"`, `"client/craeted"`, 1)
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = w.terraform(nil, "plan", "-input=false", "-no-color")
	if code != 1 || !strings.Contains(out, "is not a vcita webhook event") {
		t.Errorf("a misspelt event must fail the module's precondition, got exit %d:\n%s", code, out)
	}
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(files["main.tf"]), 0o644); err != nil {
		t.Fatal(err)
	}
	w.mustTerraform(0, "destroy", "-auto-approve", "-input=false", "-no-color")
	if n := len(w.stub.All()); n != 0 {
		t.Errorf("destroy left %d subscriptions", n)
	}
}

func TestUnknownEventIsAWarningWhenAllowed(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": `
terraform {
  required_providers {
    vcita = {
      source = "vcita/vcita"
    }
  }
}

provider "vcita" {
  allow_unknown_events = true
}

resource "vcita_webhook_subscription" "new" {
  event      = "client/archived"
  target_url = "https://hooks.example.com/new"
}
`})
	w.stub.SetBehaviour(stub.Behaviour{ExtraEvents: []string{"client/archived"}})
	out := w.mustTerraform(0, "apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(out, "Warning: Unknown Webhook Event") || !strings.Contains(out, "Did you mean") {
		t.Errorf("the plan should warn about the unknown event with a suggestion:\n%s", out)
	}
	if subs := w.stub.All(); len(subs) != 1 || subs[0].Event() != "client/archived" {
		t.Errorf("the subscribe call should have gone out: stub has %+v", subs)
	}
	w.mustTerraform(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}

// stateIDs returns the subscription ids recorded in the state.
func (w *workspace) stateIDs() map[string]bool {
	w.t.Helper()
	out := w.mustTerraform(0, "show", "-json", "-no-color")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Values struct {
						ID string `json:"id"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &state); err != nil {
		w.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	ids := map[string]bool{}
	for _, r := range state.Values.RootModule.Resources {
		ids[r.Values.ID] = true
	}
	return ids
}

func TestInterruptedApplyLeavesNoSubscriptionOutsideTheState(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": subscriptions(12)})
	// Slow answers, so that the interrupt lands while subscribes are in
	// flight; and the API carries out a subscribe whose client gave up, so
	// that only the provider's own check can keep the state complete.
	w.stub.SetLatency(400 * time.Millisecond)
	w.stub.SetBehaviour(stub.Behaviour{ProcessAbandoned: true})

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "terraform", "-chdir="+w.dir, "apply", "-auto-approve", "-input=false", "-no-color")
	cmd.Env = w.env
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for w.stub.Calls(stub.OpSubscribe) < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !strings.Contains(out.String(), "Interrupt received") {
		t.Logf("terraform output:\n%s", out.String())
	}

	w.stub.SetLatency(0)
	inState := w.stateIDs()
	for _, sub := range w.stub.All() {
		if !inState[fmt.Sprint(sub.ID)] {
			t.Errorf("subscription %d (%s) is on the API but not in the state; state has %v\nterraform said:\n%s", sub.ID, sub.URL, inState, out.String())
		}
	}
	if len(w.stub.All()) == 12 {
		t.Log("the interrupt came too late to stop any create; the check above still holds")
	}
	w.mustTerraform(0, "destroy", "-auto-approve", "-input=false", "-no-color")
	if n := len(w.stub.All()); n != 0 {
		t.Errorf("destroy left %d subscriptions", n)
	}
}
