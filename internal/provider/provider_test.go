package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// testProviders runs the provider in the test process: Terraform reaches it
// over gRPC, and nothing is downloaded.
var testProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"vcita": providerserver.NewProtocol6WithError(New("test")()),
}

// TestMain serves the in-process provider at the address the test
// configurations name (requiredProviders): the harness registers it as
// <host>/<TF_ACC_PROVIDER_NAMESPACE>/vcita, and the namespace defaults to
// hashicorp. The host stays the caller's to set: registry.terraform.io by
// default, registry.opentofu.org under OpenTofu (scripts/testmatrix.sh).
func TestMain(m *testing.M) {
	if err := os.Setenv(resource.EnvTfAccProviderNamespace, "vcita"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// providerSchema is the schema the provider serves to Terraform.
func providerSchema(t *testing.T) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	server, err := testProviders["vcita"]()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func TestProviderSchemaIsValid(t *testing.T) {
	t.Parallel()
	schema := providerSchema(t)
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
	resp := providerSchema(t)
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

func TestAccProvider_tokenKnownOnlyAtApply(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// terraform_data is built into Terraform: no provider to download. Its
	// output is unknown until apply, so the provider is configured with an
	// unknown token at plan time.
	config := requiredProviders + fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %[2]q
}

provider "vcita" {
  base_url = %[1]q
  token    = terraform_data.token.output
}
`, s.URL(), stub.DefaultToken) + subscriptionConfig("test", "client/created", "https://hooks.example.com/late")
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config,
			Check:  checkStubHas(s, "", "https://hooks.example.com/late", "client/create"),
		}},
	})
}

func TestAccProvider_rejectedToken(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerConfigAt(s.URL(), "not-the-token") + subscriptionConfig("test", "client/created", hookURL),
			ExpectError: expectError("vcita Rejected The Credentials"),
		}},
	})
	if got := s.All(); len(got) != 0 {
		t.Errorf("a rejected token must create nothing, stub has %+v", got)
	}
}

// Not parallel: it sets the process environment.
func TestAccProvider_missingToken(t *testing.T) {
	t.Setenv(envToken, "")
	s := stub.NewTestServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerConfigAt(s.URL(), "") + subscriptionConfig("test", "client/created", hookURL),
			ExpectError: regexp.MustCompile(`(?s)Missing vcita API Token.*token\s+attribute.*VCITA_API_TOKEN`),
		}},
	})
}

// Not parallel: it sets the process environment.
func TestAccProvider_credentialsFromEnvironment(t *testing.T) {
	s := stub.NewTestServer(t)
	t.Setenv(envToken, stub.DefaultToken)
	t.Setenv(envBaseURL, s.URL())
	t.Setenv(envBusinessID, "biz-env")
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{{
			// No provider block at all: everything comes from the environment.
			Config: requiredProviders + subscriptionConfig("test", "client/created", hookURL),
			Check:  checkStubHas(s, "biz-env", hookURL, "client/create"),
		}},
	})
	for _, req := range s.Requests() {
		if got := req.Header.Get("X-On-Behalf-Of"); got != "biz-env" {
			t.Errorf("%s request: X-On-Behalf-Of = %q, want biz-env", req.Op, got)
		}
		if got := req.Header.Get("User-Agent"); got != "terraform-provider-vcita/test" {
			t.Errorf("%s request: User-Agent = %q", req.Op, got)
		}
		if got := req.Header.Get("Authorization"); got != "Bearer "+stub.DefaultToken {
			t.Errorf("%s request: Authorization header is not the bearer token", req.Op)
		}
	}
}

func TestAccProvider_plainHTTPOnlyForLoopback(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerConfigAt("http://api.vcita.biz", "x") + subscriptionConfig("test", "client/created", hookURL),
			PlanOnly:    true,
			ExpectError: expectError("https is required"),
		}},
	})
}

// Not parallel: it sets the process environment.
func TestAccProvider_emptyTokenInTheBlockHidesTheEnvironment(t *testing.T) {
	s := stub.NewTestServer(t)
	t.Setenv(envToken, stub.DefaultToken)
	config := providerConfigAt(s.URL(), "", `token = ""`) + subscriptionConfig("test", "client/created", hookURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: expectError("Empty vcita API Token"),
		}},
	})
	if n := len(s.Requests()); n != 0 {
		t.Errorf("an empty token sent %d requests", n)
	}
}

// A fraction gets the provider's own message, not the framework's
// conversion error ("%!s(*big.Float=1.5)"), and so does a value out of range.
func TestAccProvider_maxRetriesIsAWholeNumberInRange(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	for _, value := range []string{"1.5", "21", "-1"} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testProviders,
			Steps: []resource.TestStep{{
				Config:      providerConfig(s, "max_retries = "+value) + subscriptionConfig("test", "client/created", hookURL),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid Max Retries[\s\S]*max_retries must be a whole number from 0 to 20, got\s+` + regexp.QuoteMeta(value) + `\.`),
			}},
		})
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("an invalid max_retries sent %d requests", n)
	}
}
