package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Provider-defined functions need Terraform 1.8 (OpenTofu 1.7). Tests that
// call one skip on an older CLI: of the matrix, Terraform 1.5.7, whose
// configuration language has no provider::... call at all.
var needsFunctions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// runCanonicalEvent calls the function as Terraform does, with one argument.
func runCanonicalEvent(t *testing.T, event string) (string, *function.FuncError) {
	t.Helper()
	resp := &function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{types.StringValue(event)})}
	canonicalEventFunction{}.Run(context.Background(), req, resp)
	result, ok := resp.Result.Value().(types.String)
	if !ok {
		t.Fatalf("canonical_event(%q) returned %T", event, resp.Result.Value())
	}
	return result.ValueString(), resp.Error
}

func TestCanonicalEventFunction(t *testing.T) {
	t.Parallel()
	// The table of the function's page, and an event the catalogue lacks.
	for in, want := range map[string]string{
		"appointment/scheduled": "meeting/scheduled",
		"meeting/scheduled":     "meeting/scheduled",
		"lead/created":          "client/created",
		"lead/create":           "client/created",
		"client/create":         "client/created",
		"client/created":        "client/created",
		"account/updated":       "business/updated",
		"business/update":       "business/updated",
		"engagement/deleted":    "matter/delete",
		"matter/delete":         "matter/delete",
		"client/archived":       "client/archived", // not in the catalogue: the form is enough
	} {
		got, err := runCanonicalEvent(t, in)
		if err != nil || got != want {
			t.Errorf("canonical_event(%q) = %q, %v; want %q", in, got, err, want)
		}
		// The key the endpoint records for an event is the function's
		// result, so that one can always be looked up with the other.
		if key := canonicalEvent(in); key != got {
			t.Errorf("subscription_ids keys %q under %q, the function says %q", in, key, got)
		}
	}
}

func TestCanonicalEventFunctionRefusesWhatIsNoEvent(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", " / ", "client", "client/created/extra", " client/created"} {
		_, err := runCanonicalEvent(t, in)
		if err == nil {
			t.Errorf("canonical_event(%q) returned no error", in)
			continue
		}
		if err.FunctionArgument == nil || *err.FunctionArgument != 0 || !strings.HasPrefix(err.Text, fmt.Sprintf("Invalid Event Format: %q ", in)) ||
			!strings.Contains(err.Text, "Events name an entity and an event type separated by a slash") {
			t.Errorf("canonical_event(%q): error %q (argument %v), want one about the event's format, on the argument", in, err.Text, err.FunctionArgument)
		}
	}
}

func TestAccCanonicalEventFunction(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   needsFunctions,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				// No provider block: a function needs no configuration.
				Config: requiredProviders + `
output "canonical" {
  value = { for event in ["appointment/scheduled", "lead/create", "client/updated"] : event => provider::vcita::canonical_event(event) }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("canonical", knownvalue.MapExact(map[string]knownvalue.Check{
						"appointment/scheduled": knownvalue.StringExact("meeting/scheduled"),
						"lead/create":           knownvalue.StringExact("client/created"),
						"client/updated":        knownvalue.StringExact("client/updated"),
					})),
				},
			},
			{
				Config: requiredProviders + `
output "canonical" {
  value = provider::vcita::canonical_event("client/created/extra")
}
`,
				ExpectError: expectError(`Invalid Event Format: "client/created/extra" is not of the form entity/event_type`),
			},
		},
	})
}
