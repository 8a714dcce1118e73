package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// expectStubCalls is a query check of how many calls of op the stub has
// answered since the step's PreConfig reset its counts.
type expectStubCalls struct {
	s    *stub.Server
	op   string
	want int
}

func (e expectStubCalls) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	if got := e.s.Calls(e.op); got != e.want {
		resp.Error = fmt.Errorf("%s calls during the query: got %d, want %d", e.op, got, e.want)
	}
}

// queryTestCase runs query, a file of list blocks, with `terraform query`
// against the stub s (after a step that only configures the provider), and
// checks its results and that it made exactly listCalls list calls. It skips
// on Terraform older than 1.14.
func queryTestCase(s *stub.Server, query string, listCalls int, checks ...querycheck.QueryResultCheck) resource.TestCase {
	return resource.TestCase{
		TerraformVersionChecks:   needsListResources,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: providerConfig(s, "")},
			{
				PreConfig:         s.ResetCalls,
				Query:             true,
				Config:            query,
				QueryResultChecks: append(checks, expectStubCalls{s: s, op: stub.OpList, want: listCalls}),
			},
		},
	}
}

// generatedHCL is what `terraform query -generate-config-out` writes for one
// result: a resource block of typeName named name, and an import block by
// identity. A value is a string or a list of strings.
func generatedHCL(typeName, name string, attributes, identity map[string]any) string {
	return fmt.Sprintf(`
resource %[1]q %[2]q {
  provider = vcita
%[3]s}

import {
  to       = %[1]s.%[2]s
  provider = vcita
  identity = {
%[4]s  }
}
`, typeName, name, hclAttributes(attributes, "  "), hclAttributes(identity, "    "))
}

// hclAttributes writes one line per attribute, in name order.
func hclAttributes(attributes map[string]any, indent string) string {
	var lines []string
	for name, value := range attributes {
		var hcl string
		switch v := value.(type) {
		case []string:
			quoted := make([]string, len(v))
			for i, s := range v {
				quoted[i] = fmt.Sprintf("%q", s)
			}
			hcl = "[" + strings.Join(quoted, ", ") + "]"
		default:
			hcl = fmt.Sprintf("%q", v)
		}
		lines = append(lines, indent+name+" = "+hcl+"\n")
	}
	sort.Strings(lines)
	return strings.Join(lines, "")
}

// A filter outside the catalogue reaches Terraform as a warning, in a first
// result of its own that names no resource, and the list is still filtered
// as asked (here: to nothing). The acceptance test harness shows no
// warnings, so this runs through the protocol.
func TestListResourcesWarnAboutAFilterOutsideTheCatalogue(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "", "client/created", hookURL)
	p := newProtocolProvider(t, s, nil)
	for _, typeName := range []string{"vcita_webhook_subscription", "vcita_webhook_endpoint"} {
		t.Run(typeName, func(t *testing.T) {
			results := p.list(typeName, map[string]tftypes.Value{"entity": tftypes.NewValue(tftypes.String, "nonsense")}, true, 100)
			if len(results) != 1 {
				t.Fatalf("%d results, want the warnings alone", len(results))
			}
			warning := results[0]
			if warning.Identity != nil || warning.Resource != nil || warning.DisplayName != "" {
				t.Errorf("the warnings' result names a resource: %q %v %v", warning.DisplayName, warning.Identity, warning.Resource)
			}
			if len(warning.Diagnostics) != 1 || warning.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
				warning.Diagnostics[0].Summary != "Unknown Webhook Entity" || !strings.Contains(warning.Diagnostics[0].Detail, `entity = "nonsense"`) {
				t.Errorf("diagnostics:\n%s\nwant one warning about the entity", describe(warning.Diagnostics))
			}
		})
	}
}

// A business_id read with file() keeps its line break, which no
// X-On-Behalf-Of header can carry: the list block is refused at validation,
// as the data source's is, rather than every call failing.
func TestListResourcesRefuseABusinessIDWithALineBreak(t *testing.T) {
	t.Parallel()
	p := newProtocolProvider(t, stub.NewTestServer(t), nil)
	lister, ok := p.server.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the provider server does not serve list resources")
	}
	for _, typeName := range []string{"vcita_webhook_subscription", "vcita_webhook_endpoint"} {
		resp, err := lister.ValidateListResourceConfig(t.Context(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: typeName,
			Config: objectValue(t, p.schemas.ListResourceSchemas[typeName].ValueType(), map[string]tftypes.Value{
				"business_id": tftypes.NewValue(tftypes.String, "biz-1\n"),
			}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(diagnosticsOf(resp.Diagnostics, tfprotov6.DiagnosticSeverityError, "Invalid Business ID")) != 1 {
			t.Errorf("%s: diagnostics\n%s\nwant the business_id refused", typeName, describe(resp.Diagnostics))
		}
	}
}
