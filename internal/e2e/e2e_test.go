package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// maskedAuthorization is the Authorization header in a TF_LOG line, masked.
var maskedAuthorization = regexp.MustCompile(`Authorization="?\*\*\*`)

func TestTraceLogNeverShowsTheToken(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": subscriptions(2)})
	logPath := filepath.Join(t.TempDir(), "trace.log")
	traced := func(command func(context.Context, *tfexec.Terraform) error) func(context.Context, *tfexec.Terraform) error {
		return func(ctx context.Context, tf *tfexec.Terraform) error {
			if err := tf.SetLog("TRACE"); err != nil {
				return err
			}
			if err := tf.SetLogPath(logPath); err != nil {
				return err
			}
			return command(ctx, tf)
		}
	}
	w.must("apply", traced(apply))
	w.must("plan", traced(func(ctx context.Context, tf *tfexec.Terraform) error {
		_, err := tf.Plan(ctx)
		return err
	}))
	w.must("destroy", traced(destroy))
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
	// Terraform 1.5 writes the field unquoted.
	if !maskedAuthorization.MatchString(log) {
		t.Error("the Authorization header is not logged masked")
	}
	if len(w.stub.All()) != 0 {
		t.Errorf("destroy left %d subscriptions", len(w.stub.All()))
	}
}

// TF_LOG=DEBUG shows one line per API request, with its method, URL,
// status and duration, and nothing of its headers or bodies, which hold the
// target URLs.
func TestDebugLogIsOneLinePerRequestWithoutBodies(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": subscriptions(2)})
	w.must("apply", apply)
	logPath := filepath.Join(t.TempDir(), "debug.log")
	w.must("plan", func(ctx context.Context, tf *tfexec.Terraform) error {
		if err := tf.SetLog("DEBUG"); err != nil {
			return err
		}
		if err := tf.SetLogPath(logPath); err != nil {
			return err
		}
		_, err := tf.Plan(ctx)
		return err
	})
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var requests []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "vcita API request") {
			requests = append(requests, line)
		}
	}
	if len(requests) == 0 {
		t.Fatal("the DEBUG log has no request line; the provider's logging is not captured")
	}
	for _, line := range requests {
		for _, want := range []string{"http_method=GET", "http_status=200", "duration_ms=", "/platform/v1/webhooks"} {
			if !strings.Contains(line, want) {
				t.Errorf("the request line lacks %s: %s", want, line)
			}
		}
	}
	for _, hidden := range []string{"http_response_body", "http_request_body", "Authorization", "hooks.example.com", stub.DefaultToken} {
		if strings.Contains(string(data), hidden) {
			t.Errorf("the DEBUG log shows %s", hidden)
		}
	}
}

func TestDriftIsExitCodeTwoAndReapplyRepairsIt(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": subscriptions(3)})
	w.must("apply", apply)
	w.planClean()

	victim := w.stub.All()[1]
	w.stub.Remove(victim.ID)
	changes, out := w.plan()
	if !changes || !strings.Contains(out, "Plan: 1 to add, 0 to change, 0 to destroy.") {
		t.Errorf("the drift plan should exit 2 with exactly one create:\n%s", out)
	}
	w.must("apply", apply)
	w.planClean()
	if n := len(w.stub.All()); n != 3 {
		t.Errorf("after the repair the stub has %d subscriptions, want 3", n)
	}
	w.destroyAll()
}

// The endpoint owns every subscription of its URL: one added by hand, or one
// of its own deleted by hand, is drift that `plan -detailed-exitcode` reports
// with exit code 2, as the README and the guide promise; the acceptance
// tests can only see a non-empty plan. Each apply puts back the configured
// events and nothing else.
func TestEndpointDriftIsExitCodeTwo(t *testing.T) {
	t.Parallel()
	const url = "https://hooks.example.com/vcita/crm"
	w := newWorkspace(t, map[string]string{"main.tf": tfconfig.RequiredProviders + tfconfig.ProviderFromEnvironment + `
resource "vcita_webhook_endpoint" "crm" {
  target_url = "` + url + `"
  events     = ["client/created", "appointment/scheduled"]
}
`})
	w.must("apply", apply)
	w.planClean()
	managed := w.stub.All()

	extra, err := w.stub.Add("", "payment/paid", url)
	if err != nil {
		t.Fatal(err)
	}
	changes, out := w.plan()
	if !changes {
		t.Errorf("a subscription added by hand to the endpoint's URL must make the plan exit 2:\n%s", out)
	}
	for _, want := range []string{
		"Plan: 0 to add, 1 to change, 0 to destroy.",
		"Warning: Webhook Endpoint Removes Subscriptions It Did Not Make",
		fmt.Sprintf("- payment/paid (subscription %d)", extra.ID),
	} {
		// The warning is wrapped to the terminal's width.
		if !strings.Contains(oneLine(out), oneLine(want)) {
			t.Errorf("the plan should say %q:\n%s", want, out)
		}
	}
	w.must("apply", apply)
	if got := w.stub.All(); !slices.Equal(got, managed) {
		t.Errorf("the apply should have removed the hand-made subscription alone: the stub has %+v, want %+v", got, managed)
	}
	w.planClean()

	w.stub.Remove(managed[0].ID)
	if changes, out := w.plan(); !changes || !strings.Contains(out, "Plan: 0 to add, 1 to change, 0 to destroy.") {
		t.Errorf("a subscription of the endpoint deleted by hand must make the plan exit 2 with one update:\n%s", out)
	}
	w.must("apply", apply)
	w.planClean()
	if n := len(w.stub.All()); n != len(managed) {
		t.Errorf("after the repair the stub has %d subscriptions, want %d", n, len(managed))
	}
	w.destroyAll()
}

// Two spellings of one event in a module's set of events are two resources
// naming one subscription: the plan fails, saying so, before any call.
// Through a local module, installed by `get`, as users write it.
func TestTwoResourcesNamingOneSubscriptionFailWithTheClash(t *testing.T) {
	t.Parallel()
	const module = `
variable "events" {
  type = set(string)
}

resource "vcita_webhook_subscription" "this" {
  for_each = var.events

  event      = each.value
  target_url = "https://hooks.example.com/crm"
}

output "subscription_ids" {
  value = { for event, s in vcita_webhook_subscription.this : event => s.id }
}
`
	root := func(events string) string {
		return tfconfig.RequiredProviders + tfconfig.ProviderFromEnvironment + `
module "crm" {
  source = "./modules/hooks"
  events = ` + events + `
}

output "ids" {
  value = module.crm.subscription_ids
}
`
	}
	w := newWorkspace(t, map[string]string{
		"modules/hooks/main.tf": tfconfig.RequiredProviders + module,
		"main.tf":               root(`["client/created", "lead/created", "appointment/scheduled"]`),
	})
	w.must("get", func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Get(ctx) })
	// client/created and lead/created are one subscription to the API.
	out, err := w.try(t.Context(), apply)
	if err == nil || !strings.Contains(err.Error(), "Two Resources Name One Webhook Subscription") {
		t.Fatalf("two spellings of one event must clash with the error that they name one subscription, got %v:\n%s", err, out)
	}

	if n := w.stub.Calls(stub.OpSubscribe); n != 0 {
		t.Fatalf("the plan-time clash sent %d subscribe calls", n)
	}
	w.writeFile("main.tf", root(`["client/created", "appointment/scheduled"]`))
	w.must("apply", apply)
	w.planClean()
	var ids map[string]string
	if err := w.Output(t.Context(), "ids", &ids); err != nil {
		t.Fatalf("output ids: %v", err)
	}
	if len(ids) != 2 || ids["client/created"] == "" || ids["appointment/scheduled"] == "" {
		t.Errorf("module output subscription_ids = %v", ids)
	}
	w.destroyAll()
}

func TestUnknownEventIsAWarningWhenAllowed(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": tfconfig.RequiredProviders + `
provider "vcita" {
  allow_unknown_events = true
}

resource "vcita_webhook_subscription" "new" {
  event      = "client/archived"
  target_url = "https://hooks.example.com/new"
}
`})
	w.stub.SetBehaviour(stub.Behaviour{ExtraEvents: []string{"client/archived"}})
	out := w.must("apply", apply)
	if !strings.Contains(out, "Warning: Unknown Webhook Event") || !strings.Contains(out, "Did you mean") {
		t.Errorf("the plan should warn about the unknown event with a suggestion:\n%s", out)
	}
	if subs := w.stub.All(); len(subs) != 1 || subs[0].Event() != "client/archived" {
		t.Errorf("the subscribe call should have gone out: stub has %+v", subs)
	}
	w.destroyAll()
}

func TestInterruptedApplyLeavesNoSubscriptionOutsideTheState(t *testing.T) {
	t.Parallel()
	const latency = 400 * time.Millisecond
	// Each moment waits for the stub to see some subscribes, then a while.
	tests := map[string]struct {
		subscribes int
		after      time.Duration
	}{
		// Subscribes are on their way to the API, or just committed.
		"while subscribes are in flight": {subscribes: 3},
		// The first subscribes have been answered, with their ids; the
		// provider is recording them in the state now.
		"just after the first answers": {subscribes: 1, after: latency + latency/2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorkspace(t, map[string]string{"main.tf": subscriptions(12)})
			// Slow answers, so that the interrupt lands while calls are in
			// flight; and the API carries out a subscribe whose client gave
			// up, so that only the provider's own check can keep the state
			// complete.
			w.stub.SetLatency(latency)
			w.stub.SetBehaviour(stub.Behaviour{ProcessAbandoned: true})

			// Cancelling the command's context interrupts Terraform as Ctrl-C does.
			ctx, interrupt := context.WithCancel(t.Context())
			defer interrupt()
			go func() {
				deadline := time.Now().Add(time.Minute)
				for w.stub.Calls(stub.OpSubscribe) < tc.subscribes && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
				time.Sleep(tc.after)
				interrupt()
			}()
			out, err := w.try(ctx, apply)
			if err == nil {
				t.Log("the interrupt came too late to stop the apply; the checks below still hold")
			}

			w.stub.SetLatency(0)
			inState := w.stateIDs()
			for _, sub := range w.stub.All() {
				if !inState[fmt.Sprint(sub.ID)] {
					t.Errorf("subscription %d (%s) is on the API but not in the state; state has %v\n%s said:\n%s", sub.ID, sub.URL, inState, w.CLI.Name, out)
				}
			}
			w.destroyAll()
		})
	}
}
