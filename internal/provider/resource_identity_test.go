package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// Resource identity needs Terraform 1.12; list resources and `terraform
// query` need 1.14. Tests of them skip on an older CLI (`make test` on the
// machine's own Terraform); CI runs them with a newer one.
var (
	needsIdentity      = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}
	needsListResources = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}
)

// adoptionStep applies config, whose import blocks adopt the resources at
// addresses: the plan only imports them, nothing is subscribed or
// unsubscribed, and the next plan is empty.
func adoptionStep(s *stub.Server, config string, stateChecks []statecheck.StateCheck, addresses ...string) resource.TestStep {
	importsOnly := make([]plancheck.PlanCheck, len(addresses))
	for i, address := range addresses {
		importsOnly[i] = plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop)
	}
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             importsOnly,
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: stateChecks,
		Check:             checkNoWrites(s),
	}
}

// invalidIdentity is an import block's identity, and the error that refuses
// it.
type invalidIdentity struct {
	identity, wantError string
}

// testInvalidImportIdentities plans config, which holds the resource at
// address, with an import block into it of each identity in turn: each fails
// at plan with its error, and none sends a request to the API.
func testInvalidImportIdentities(t *testing.T, s *stub.Server, config, address string, cases ...invalidIdentity) {
	t.Helper()
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{
			Config:      config + "import {\n  to = " + address + "\n  identity = " + tc.identity + "\n}\n",
			PlanOnly:    true,
			ExpectError: expectError(tc.wantError),
		}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   needsIdentity,
		ProtoV6ProviderFactories: testProviders,
		Steps:                    steps,
	})
	if n := len(s.Requests()); n != 0 {
		t.Errorf("invalid identities sent %d requests to the API, want 0", n)
	}
}

// The identity Terraform asks for in an import block, for each managed
// resource: the attribute that names the object required, business_id
// optional, each described (identity descriptions are plain text).
func TestIdentitySchema(t *testing.T) {
	t.Parallel()
	server, err := testProviders["vcita"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetResourceIdentitySchemas(t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || len(resp.Diagnostics) != 0 {
		t.Fatalf("identity schemas: %v %+v", err, resp.Diagnostics)
	}
	tests := map[string]string{
		"vcita_webhook_subscription": "id",
		"vcita_webhook_endpoint":     "target_url",
	}
	for typeName, required := range tests {
		schema, ok := resp.IdentitySchemas[typeName]
		if !ok {
			t.Errorf("%s has no identity; identities: %v", typeName, keys(resp.IdentitySchemas))
			continue
		}
		got := map[string]string{}
		for _, a := range schema.IdentityAttributes {
			got[a.Name] = fmt.Sprintf("required=%t optional=%t described=%t", a.RequiredForImport, a.OptionalForImport, a.Description != "")
		}
		want := map[string]string{
			required:      "required=true optional=false described=true",
			"business_id": "required=false optional=true described=true",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s identity attributes %v, want %v", typeName, got, want)
		}
	}
}
