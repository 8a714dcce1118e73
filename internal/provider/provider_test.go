package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// testProviders runs the provider in the test process: Terraform reaches it
// over gRPC, and nothing is downloaded.
var testProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"vcita": providerserver.NewProtocol6WithError(New("test")()),
}

// providerConfig is a provider block pointing at a stub, with fast retries
// so that fault-injection tests stay quick. extra is added inside the block.
func providerConfig(s *stub.Server, extra string) string {
	return fmt.Sprintf(`
provider "vcita" {
  base_url = %[1]q
  token    = %[2]q
  %[3]s
}
`, s.URL(), stub.DefaultToken, extra)
}

// subscriptionConfig is one vcita_webhook_subscription named name.
func subscriptionConfig(name, event, targetURL string) string {
	return fmt.Sprintf(`
resource "vcita_webhook_subscription" %[1]q {
  event      = %[2]q
  target_url = %[3]q
}
`, name, event, targetURL)
}

// checkStubEmpty is a CheckDestroy: after destroy, nothing is left on the API.
func checkStubEmpty(s *stub.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := s.All(); len(left) != 0 {
			return fmt.Errorf("expected no subscription on the stub after destroy, found %d: %+v", len(left), left)
		}
		return nil
	}
}

// checkStubHas asserts exactly the given events (as the stub lists them,
// entity/event_type) are subscribed for targetURL in business's scope.
func checkStubHas(s *stub.Server, business, targetURL string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, sub := range s.Subscriptions(business) {
			if sub.URL == targetURL {
				got = append(got, sub.Event())
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("stub subscriptions of %s: got %v, want %v", targetURL, got, want)
		}
		return nil
	}
}

func TestProviderSchemaIsValid(t *testing.T) {
	t.Parallel()
	resp, err := testProviders["vcita"]()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := resp.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range schema.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if _, ok := schema.ResourceSchemas["vcita_webhook_subscription"]; !ok {
		t.Errorf("vcita_webhook_subscription is not served; resources: %v", keys(schema.ResourceSchemas))
	}
	if _, ok := schema.ListResourceSchemas["vcita_webhook_subscription"]; !ok {
		t.Errorf("vcita_webhook_subscription has no list resource; list resources: %v", keys(schema.ListResourceSchemas))
	}
}

// Each schema text is written once, as MarkdownDescription, and the framework
// sends it as the description Terraform shows (kind markdown): the provider,
// every resource, data source and list resource, and every attribute must
// have one.
func TestEverySchemaTextReachesTerraform(t *testing.T) {
	t.Parallel()
	server, err := testProviders["vcita"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string]*tfprotov6.Schema{"provider": resp.Provider}
	for name, s := range resp.ResourceSchemas {
		schemas["resource "+name] = s
	}
	for name, s := range resp.DataSourceSchemas {
		schemas["data source "+name] = s
	}
	for name, s := range resp.ListResourceSchemas {
		schemas["list resource "+name] = s
	}
	for name, s := range schemas {
		checkDescribed(t, name, s.Block.Description, s.Block.DescriptionKind)
		checkAttributesDescribed(t, name, s.Block.Attributes)
	}
}

func checkAttributesDescribed(t *testing.T, parent string, attributes []*tfprotov6.SchemaAttribute) {
	t.Helper()
	for _, a := range attributes {
		name := parent + "." + a.Name
		checkDescribed(t, name, a.Description, a.DescriptionKind)
		if a.NestedType != nil {
			checkAttributesDescribed(t, name, a.NestedType.Attributes)
		}
	}
}

func checkDescribed(t *testing.T, name, description string, kind tfprotov6.StringKind) {
	t.Helper()
	if description == "" || kind != tfprotov6.StringKindMarkdown {
		t.Errorf("%s: description %q of kind %v, want a markdown description", name, description, kind)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// expectError matches a diagnostic text however Terraform wraps its lines:
// each space in phrase matches any run of white space.
func expectError(phrase string) *regexp.Regexp {
	words := strings.Fields(phrase)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

var (
	regexpDigits     = regexp.MustCompile(`^[0-9]+$`)
	regexpEventField = regexp.MustCompile(`"event"\s*:\s*"[^"]+"`)
)

func TestAccProvider_tokenKnownOnlyAtApply(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// terraform_data is built into Terraform: no provider to download. Its
	// output is unknown until apply, so the provider is configured with an
	// unknown token at plan time.
	config := fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %[2]q
}

provider "vcita" {
  base_url = %[1]q
  token    = terraform_data.token.output
}
`, s.URL(), stub.DefaultToken) + subscriptionConfig("test", "client/created", "https://hooks.example.com/late")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps: []resource.TestStep{{
			Config: config,
			Check:  checkStubHas(s, "", "https://hooks.example.com/late", "client/create"),
		}},
	})
}
