package e2e

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// adoptQuery lists the subscriptions of two businesses, one list block each,
// as the adoption guide does for a directory token.
const adoptQuery = `
list "vcita_webhook_subscription" "acme" {
  provider = vcita

  config {
    business_id = "acme"
  }
}

list "vcita_webhook_subscription" "globex" {
  provider = vcita

  config {
    business_id = "globex"
  }
}
`

// Adopting a fleet in three commands: hand-made subscriptions in two
// businesses are listed by `terraform query`, written out as resource and
// import blocks by -generate-config-out, and adopted by apply without one
// subscribe or unsubscribe call; the next plan is clean. A subscription of a
// business no list block names stays out of it.
func TestQueryGeneratesConfigurationThatAdoptsTwoBusinessesWithoutWrites(t *testing.T) {
	t.Parallel()
	cli, err := tfcli.FindCLI(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !cli.SupportsQuery() {
		t.Skipf("%s has no query command (Terraform 1.14 and later; OpenTofu has none): list resources cannot be tried", cli)
	}
	w := newWorkspace(t, map[string]string{
		"main.tf":           tfconfig.RequiredProviders + tfconfig.ProviderFromEnvironment,
		"adopt.tfquery.hcl": adoptQuery,
	})
	handMade := map[string]stub.Subscription{} // identity as Terraform prints it → subscription
	for _, s := range []struct{ business, event, url string }{
		{"acme", "client/created", "https://hooks.example.com/acme/crm"},
		{"acme", "appointment/scheduled", "https://hooks.example.com/acme/crm"},
		{"acme", "invoice/issued", "https://hooks.example.com/acme/billing"},
		{"globex", "payment/paid", "https://hooks.example.com/globex/billing"},
		{"globex", "client/created", "https://hooks.example.com/globex/crm"},
	} {
		sub, err := w.stub.Add(s.business, s.event, s.url)
		if err != nil {
			t.Fatal(err)
		}
		handMade[fmt.Sprintf("business_id=%s,id=%d", s.business, sub.ID)] = sub
	}
	unlisted, err := w.stub.Add("initech", "client/created", "https://hooks.example.com/initech/crm")
	if err != nil {
		t.Fatal(err)
	}

	code, out := w.run("query", "-no-color", "-generate-config-out=adopted.tf")
	if code != 0 {
		t.Fatalf("%s query: exit %d\n%s", w.CLI.Name, code, out)
	}
	for identity := range handMade {
		if !strings.Contains(out, identity) {
			t.Errorf("the query should list %s:\n%s", identity, out)
		}
	}
	if strings.Contains(out, fmt.Sprint(unlisted.ID)) {
		t.Errorf("the query lists %d, of a business no list block names:\n%s", unlisted.ID, out)
	}
	if n := w.stub.Calls(stub.OpList); n != 2 {
		t.Errorf("the query made %d list calls, want one per business: 2", n)
	}
	generated, err := os.ReadFile(filepath.Join(w.Dir, "adopted.tf"))
	if err != nil {
		t.Fatal(err)
	}
	resources := strings.Count(string(generated), `resource "vcita_webhook_subscription"`)
	imports := strings.Count(string(generated), "import {")
	if resources != len(handMade) || imports != len(handMade) {
		t.Errorf("adopted.tf has %d resource and %d import blocks, want %d of each:\n%s", resources, imports, len(handMade), generated)
	}

	w.stub.ResetCalls()
	out = w.must("apply", apply)
	if want := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", len(handMade)); !strings.Contains(out, want) {
		t.Errorf("the apply should say %q:\n%s", want, out)
	}
	if subscribes, unsubscribes := w.stub.Calls(stub.OpSubscribe), w.stub.Calls(stub.OpUnsubscribe); subscribes+unsubscribes != 0 {
		t.Errorf("adopting made %d subscribe and %d unsubscribe calls, want none", subscribes, unsubscribes)
	}
	w.planClean()
	var want []string
	for _, sub := range handMade {
		want = append(want, fmt.Sprint(sub.ID))
	}
	slices.Sort(want)
	if got := slices.Sorted(maps.Keys(w.stateIDs())); !slices.Equal(got, want) {
		t.Errorf("the state holds subscriptions %v, want the hand-made ones of the two businesses %v", got, want)
	}

	w.stub.Remove(unlisted.ID)
	w.destroyAll()
}
