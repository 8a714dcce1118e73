package e2e

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// The endpoint's lifecycle through the real CLI, where the acceptance
// harness cannot go: `apply -replace`, a renamed for_each key, and a saved
// plan applied after the URL changed.

const lifecycleURL = "https://hooks.example.com/lifecycle"

// endpointsByKey is one vcita_webhook_endpoint "e" per for_each key, each of
// lifecycleURL with client/created and invoice/issued.
func endpointsByKey(key string, cbd bool) string {
	return tfconfig.RequiredProviders + tfconfig.ProviderFromEnvironment + fmt.Sprintf(`
resource "vcita_webhook_endpoint" "e" {
  for_each   = toset([%[1]q])
  target_url = %[2]q
  events     = ["client/created", "invoice/issued"]
  lifecycle {
    create_before_destroy = %[3]t
  }
}
`, key, lifecycleURL, cbd)
}

// urlIDs returns the stub's id of each event of lifecycleURL.
func urlIDs(s *stub.Server) map[string]int64 {
	ids := map[string]int64{}
	for _, sub := range s.Subscriptions("") {
		if sub.URL == lifecycleURL {
			ids[sub.Event()] = sub.ID
		}
	}
	return ids
}

// checkURLHasBoth fails unless lifecycleURL has exactly its two events.
func (w *workspace) checkURLHasBoth(step string) map[string]int64 {
	w.t.Helper()
	ids := urlIDs(w.stub)
	if len(ids) != 2 || ids["client/create"] == 0 || ids["invoice/issued"] == 0 {
		w.t.Fatalf("%s: the URL has %v, want client/create and invoice/issued", step, ids)
	}
	return ids
}

func TestEndpointReplaceAndRenamedKeyKeepTheURL(t *testing.T) {
	t.Parallel()
	for name, cbd := range map[string]bool{"create_before_destroy": true, "destroy_before_create": false} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorkspace(t, map[string]string{"main.tf": endpointsByKey("a", cbd)})
			w.must("apply", apply)
			before := w.checkURLHasBoth("create")

			// terraform apply -replace: with create_before_destroy the new
			// object adopts the subscriptions and the old one leaves them.
			w.stub.ResetCalls()
			w.must("apply -replace", func(ctx context.Context, tf *tfexec.Terraform) error {
				return tf.Apply(ctx, tfexec.Replace(`vcita_webhook_endpoint.e["a"]`))
			})
			after := w.checkURLHasBoth("-replace")
			writes := w.stub.Calls(stub.OpSubscribe) + w.stub.Calls(stub.OpUnsubscribe)
			switch {
			case cbd && (!maps.Equal(after, before) || writes != 0):
				t.Errorf("-replace under create_before_destroy: %d writes, ids %v -> %v; want none and the same ids", writes, before, after)
			case !cbd && writes != 4:
				t.Errorf("-replace without create_before_destroy: %d writes, want 2 unsubscribes and 2 subscribes", writes)
			}
			w.planClean()

			// A renamed for_each key, without a moved block.
			w.writeFile("main.tf", endpointsByKey("b", cbd))
			w.must("apply (renamed key)", apply)
			w.checkURLHasBoth("renamed key")
			w.planClean()
			w.destroyAll()
		})
	}
}

// A saved create plan applied after someone subscribed the URL to another
// event leaves that subscription; the next plan shows it, with the warning,
// and its apply removes it.
func TestEndpointSavedCreatePlanLeavesWhatCameAfterIt(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t, map[string]string{"main.tf": endpointsByKey("a", false)})
	planFile := filepath.Join(w.Dir, "create.tfplan")
	w.must("plan -out", func(ctx context.Context, tf *tfexec.Terraform) error {
		_, err := tf.Plan(ctx, tfexec.Out(planFile))
		return err
	})
	newcomer, err := w.stub.Add("", "payment/paid", lifecycleURL)
	if err != nil {
		t.Fatal(err)
	}
	w.must("apply the saved plan", func(ctx context.Context, tf *tfexec.Terraform) error {
		return tf.Apply(ctx, tfexec.DirOrPlan(planFile))
	})
	if got := urlIDs(w.stub)["payment/paid"]; got != newcomer.ID {
		t.Fatalf("the saved create plan removed a subscription it did not show")
	}
	changes, out := w.plan()
	if !changes || !strings.Contains(out, "Webhook Endpoint Removes Subscriptions It Did Not Make") || !strings.Contains(out, fmt.Sprintf("payment/paid (subscription %d)", newcomer.ID)) {
		t.Fatalf("the next plan does not show and warn about the newcomer:\n%s", out)
	}
	w.must("apply", apply)
	w.checkURLHasBoth("the next apply")
	w.planClean()
	w.destroyAll()
}
