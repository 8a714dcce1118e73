package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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

// listedAs is the query filter of the result with that identity.
func listedAs(id int64, business knownvalue.Check) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(identity(id, business))
}

func TestAccWebhookSubscriptionListResource(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const other = otherURL
	made := addHandMadeSubscriptions(t, s)
	created, scheduled, paid, inBusiness := made.created, made.scheduled, made.paid, made.inBusiness

	query := fmt.Sprintf(`
list "vcita_webhook_subscription" "all" {
  provider         = vcita
  include_resource = true
}
list "vcita_webhook_subscription" "appointments" {
  provider = vcita
  config {
    entity = "appointment"
  }
}
list "vcita_webhook_subscription" "created" {
  provider = vcita
  config {
    event_type = "created"
  }
}
list "vcita_webhook_subscription" "other_url" {
  provider = vcita
  config {
    target_url = %[1]q
  }
}
list "vcita_webhook_subscription" "combined" {
  provider = vcita
  config {
    entity     = "client"
    event_type = "create"
    target_url = %[2]q
  }
}
list "vcita_webhook_subscription" "none" {
  provider = vcita
  config {
    entity = "invoice"
  }
}
list "vcita_webhook_subscription" "business" {
  provider         = vcita
  include_resource = true
  config {
    business_id = "biz-1"
  }
}
list "vcita_webhook_subscription" "limited" {
  provider = vcita
  limit    = 2
}
`, other, hookURL)
	null := knownvalue.Null()

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   needsListResources,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: providerConfig(s, "")},
			{
				PreConfig: s.ResetCalls,
				Query:     true,
				Config:    query,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("vcita_webhook_subscription.all", 3),
					querycheck.ExpectIdentity("vcita_webhook_subscription.all", identity(created.ID, null)),
					querycheck.ExpectIdentity("vcita_webhook_subscription.all", identity(scheduled.ID, null)),
					querycheck.ExpectIdentity("vcita_webhook_subscription.all", identity(paid.ID, null)),
					// The display name and the resource show the catalogue
					// spelling an import records, not the API's base verb.
					querycheck.ExpectResourceDisplayName("vcita_webhook_subscription.all", listedAs(created.ID, null),
						knownvalue.StringExact("client/created → "+hookURL)),
					querycheck.ExpectResourceDisplayName("vcita_webhook_subscription.all", listedAs(scheduled.ID, null),
						knownvalue.StringExact("meeting/scheduled → "+hookURL)),
					querycheck.ExpectResourceKnownValues("vcita_webhook_subscription.all", listedAs(created.ID, null), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(fmt.Sprint(created.ID))},
						{Path: tfjsonpath.New("event"), KnownValue: knownvalue.StringExact("client/created")},
						{Path: tfjsonpath.New("target_url"), KnownValue: knownvalue.StringExact(hookURL)},
						{Path: tfjsonpath.New("business_id"), KnownValue: null},
						{Path: tfjsonpath.New("entity"), KnownValue: knownvalue.StringExact("client")},
						{Path: tfjsonpath.New("event_type"), KnownValue: knownvalue.StringExact("create")},
					}),

					// The filters mean what they mean on the data source.
					querycheck.ExpectLength("vcita_webhook_subscription.appointments", 1),
					querycheck.ExpectIdentity("vcita_webhook_subscription.appointments", identity(scheduled.ID, null)),
					querycheck.ExpectLength("vcita_webhook_subscription.created", 1),
					querycheck.ExpectIdentity("vcita_webhook_subscription.created", identity(created.ID, null)),
					querycheck.ExpectLength("vcita_webhook_subscription.other_url", 1),
					querycheck.ExpectIdentity("vcita_webhook_subscription.other_url", identity(paid.ID, null)),
					querycheck.ExpectLength("vcita_webhook_subscription.combined", 1),
					querycheck.ExpectIdentity("vcita_webhook_subscription.combined", identity(created.ID, null)),
					querycheck.ExpectLength("vcita_webhook_subscription.none", 0),

					querycheck.ExpectLength("vcita_webhook_subscription.business", 1),
					querycheck.ExpectIdentity("vcita_webhook_subscription.business", identity(inBusiness.ID, knownvalue.StringExact("biz-1"))),
					querycheck.ExpectResourceKnownValues("vcita_webhook_subscription.business", listedAs(inBusiness.ID, knownvalue.StringExact("biz-1")), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("business_id"), KnownValue: knownvalue.StringExact("biz-1")},
						{Path: tfjsonpath.New("event"), KnownValue: knownvalue.StringExact("client/updated")},
					}),

					// The first results by id, no more.
					querycheck.ExpectLength("vcita_webhook_subscription.limited", 2),
					querycheck.ExpectIdentity("vcita_webhook_subscription.limited", identity(created.ID, null)),
					querycheck.ExpectIdentity("vcita_webhook_subscription.limited", identity(scheduled.ID, null)),

					// Eight list blocks in two businesses: two list calls.
					expectStubCalls{s: s, op: stub.OpList, want: 2},
				},
			},
		},
	})
}

// What `terraform query -generate-config-out` writes for the results above
// (see TestListedSubscriptionGeneratesItsImportConfig), applied as written:
// every subscription is adopted without a single subscribe or unsubscribe,
// and the next plan is empty.
func TestAccWebhookSubscriptionListResource_generatedConfigAdoptsWithoutWrites(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	own := mustAdd(t, s, "biz-p", "lead/created", hookURL)
	inBusiness := mustAdd(t, s, "biz-1", "appointment/scheduled", hookURL)
	// A result in the provider's business pins that business too.
	generated := providerConfig(s, `business_id = "biz-p"`) + fmt.Sprintf(`
resource "vcita_webhook_subscription" "own_0" {
  provider    = vcita
  business_id = "biz-p"
  event       = "client/created"
  target_url  = %[1]q
}

import {
  to       = vcita_webhook_subscription.own_0
  provider = vcita
  identity = {
    business_id = "biz-p"
    id          = "%[2]d"
  }
}

resource "vcita_webhook_subscription" "biz1_0" {
  provider    = vcita
  business_id = "biz-1"
  event       = "meeting/scheduled"
  target_url  = %[1]q
}

import {
  to       = vcita_webhook_subscription.biz1_0
  provider = vcita
  identity = {
    business_id = "biz-1"
    id          = "%[3]d"
  }
}
`, hookURL, own.ID, inBusiness.ID)

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   needsIdentity,
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps: []resource.TestStep{adoptionStep(s, generated, []statecheck.StateCheck{
			statecheck.ExpectIdentity("vcita_webhook_subscription.own_0", identity(own.ID, knownvalue.StringExact("biz-p"))),
			statecheck.ExpectIdentity("vcita_webhook_subscription.biz1_0", identity(inBusiness.ID, knownvalue.StringExact("biz-1"))),
		}, "vcita_webhook_subscription.own_0", "vcita_webhook_subscription.biz1_0")},
	})
}

// protoObject is an object value of type typ: the given attributes, every
// other one null.
func protoObject(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	object, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range object.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
		if v, ok := set[name]; ok {
			values[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(object, tftypes.NewValue(object, values))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// nonNullAttributes decodes an object and returns its non-null attributes.
func nonNullAttributes(t *testing.T, typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]string {
	t.Helper()
	value, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attributes map[string]tftypes.Value
	if err := value.As(&attributes); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, v := range attributes {
		if v.IsNull() {
			continue
		}
		var s string
		if err := v.As(&s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

// The generated configuration of each listed subscription is what Terraform
// writes with `terraform query -generate-config-out`: the list result's
// resource, through the provider's GenerateResourceConfig. It must hold the
// configurable attributes only (no computed id, entity or event_type, which
// Terraform would reject), and pin the business the subscription was listed
// in, so that the import plans no change. It runs on every Terraform, without
// one: it speaks the plugin protocol directly.
func TestListedSubscriptionGeneratesItsImportConfig(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "biz-p", "lead/created", hookURL)
	mustAdd(t, s, "biz-p", "invoice/issued", hookURL) // after the limit of 1
	mustAdd(t, s, "biz-1", "appointment/scheduled", hookURL)

	server, err := testProviders["vcita"]()
	if err != nil {
		t.Fatal(err)
	}
	lister, ok := server.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the provider server does not serve list resources")
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: protoObject(t, schemas.Provider.ValueType(), map[string]tftypes.Value{
			"base_url":    tftypes.NewValue(tftypes.String, s.URL()),
			"token":       tftypes.NewValue(tftypes.String, stub.DefaultToken),
			"business_id": tftypes.NewValue(tftypes.String, "biz-p"),
		}),
	})
	if err != nil || len(configured.Diagnostics) != 0 {
		t.Fatalf("configure: %v %+v", err, configured.Diagnostics)
	}

	const typeName = "vcita_webhook_subscription"
	resourceType := schemas.ResourceSchemas[typeName].ValueType()
	tests := map[string]struct {
		business string // the list block's business_id; "" for the provider's
		limit    int64
		want     map[string]string
		display  string
	}{
		"the provider's business, limited": {"", 1, map[string]string{"event": "client/created", "target_url": hookURL, "business_id": "biz-p"}, "client/created → " + hookURL},
		"another business":                 {"biz-1", 100, map[string]string{"event": "meeting/scheduled", "target_url": hookURL, "business_id": "biz-1"}, "meeting/scheduled → " + hookURL},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			listConfig := map[string]tftypes.Value{}
			if tc.business != "" {
				listConfig["business_id"] = tftypes.NewValue(tftypes.String, tc.business)
			}
			stream, err := lister.ListResource(ctx, &tfprotov6.ListResourceRequest{
				TypeName:        typeName,
				Config:          protoObject(t, schemas.ListResourceSchemas[typeName].ValueType(), listConfig),
				IncludeResource: true,
				Limit:           tc.limit,
			})
			if err != nil {
				t.Fatal(err)
			}
			var results int
			for result := range stream.Results {
				results++
				if len(result.Diagnostics) != 0 || result.Resource == nil {
					t.Fatalf("result %q: diagnostics %+v, resource %v", result.DisplayName, result.Diagnostics, result.Resource)
				}
				if result.DisplayName != tc.display {
					t.Errorf("display name %q, want %q", result.DisplayName, tc.display)
				}
				generated, err := server.GenerateResourceConfig(ctx, &tfprotov6.GenerateResourceConfigRequest{TypeName: typeName, State: result.Resource})
				if err != nil || len(generated.Diagnostics) != 0 {
					t.Fatalf("generate config: %v %+v", err, generated.Diagnostics)
				}
				if got := nonNullAttributes(t, resourceType, generated.Config); fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("generated configuration %v, want %v", got, tc.want)
				}
			}
			// Terraform cuts a longer stream short itself, but the provider
			// should not build results past the limit.
			if results != 1 {
				t.Errorf("%d results, want 1", results)
			}
		})
	}
}
