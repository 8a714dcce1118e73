package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

func TestBusinessIDValidator(t *testing.T) {
	tests := map[string]bool{
		"biz-1":          true,
		"a1b2c3 d4":      true,
		"biz-1\n":        false,
		"biz\r\nX-Other": false,
		"biz\t1":         false,
		"biz\x00":        false,
		"biz\u0085":      false,
	}
	for value, valid := range tests {
		req := validator.StringRequest{Path: path.Root("business_id"), ConfigValue: types.StringValue(value)}
		var resp validator.StringResponse
		businessIDValidator{}.ValidateString(context.Background(), req, &resp)
		if resp.Diagnostics.HasError() == valid {
			t.Errorf("business_id %q: errors %v, want valid %v", value, resp.Diagnostics, valid)
		}
	}
}

func TestAccBusinessIDWithALineBreakFailsAtPlan(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	tests := map[string]string{
		"provider": providerConfig(s, `business_id = "biz-1\n"`) + subscriptionConfig("test", "client/created", hookURL),
		"resource": providerConfig(s, "") + `
resource "vcita_webhook_subscription" "test" {
  event       = "client/created"
  target_url  = "https://hooks.example.com/vcita"
  business_id = "biz-1\r\n"
}
`,
		"data source": providerConfig(s, "") + `
data "vcita_webhook_subscriptions" "all" {
  business_id = "biz-1\n"
}
`,
	}
	for name, config := range tests {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: expectError("Invalid Business ID"),
				}},
			})
		})
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests reached the API", n)
	}
}

func TestTokenIsTrimmed(t *testing.T) {
	config := emptyProviderModel()
	config.Token = types.StringValue("  block-token\n")
	got, diags := resolveSettings(config, envOf(nil))
	if diags.HasError() || got.token != "block-token" {
		t.Errorf("token = %q (%v), want it trimmed", got.token, diags)
	}
	got, diags = resolveSettings(emptyProviderModel(), envOf(map[string]string{envToken: " \n"}))
	if !diags.HasError() || !strings.Contains(diags[0].Summary(), "Token") {
		t.Errorf("a token of white space only = %q, %v; want it missing", got.token, diags)
	}
}
