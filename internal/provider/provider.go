// Package provider implements the vcita Terraform provider on
// terraform-plugin-framework.
package provider

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

var (
	_ provider.Provider                  = (*vcitaProvider)(nil)
	_ provider.ProviderWithListResources = (*vcitaProvider)(nil)
	_ provider.ProviderWithFunctions     = (*vcitaProvider)(nil)
)

// vcitaProvider is the provider. It holds only its version: everything a
// configuration decides lives on the providerData handed out by Configure,
// because Configure may run more than once in one process.
type vcitaProvider struct {
	version string
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &vcitaProvider{version: version}
	}
}

// providerModel is the provider block.
type providerModel struct {
	Token              types.String `tfsdk:"token"`
	BaseURL            types.String `tfsdk:"base_url"`
	BusinessID         types.String `tfsdk:"business_id"`
	AllowUnknownEvents types.Bool   `tfsdk:"allow_unknown_events"`
	MaxRetries         types.Number `tfsdk:"max_retries"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	// client is nil while the provider configuration has values not known
	// yet (a token produced by another resource): then no API call can be
	// made, and businessID cannot be relied on. See configured.
	client             *vcita.Client
	businessID         string
	allowUnknownEvents bool
	// urls is what this configuration's resources know of each other
	// about one target URL: plan claims, apply locks and holdings (see
	// urlRegistry).
	urls *urlRegistry
}

func (p *vcitaProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "vcita"
	resp.Version = p.version
}

func (p *vcitaProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages webhook subscriptions of the [vcita](https://www.vcita.com) business platform.",
		Attributes: map[string]schema.Attribute{
			"token": schema.StringAttribute{
				MarkdownDescription: "API token (a staff token or a directory token), sent as a bearer token. Falls back to the `VCITA_API_TOKEN` environment variable; one of the two is required. Set in the block, even to `\"\"`, it wins over the variable: an empty `token` is an error, not a fallback.",
				Optional:            true,
				Sensitive:           true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the vcita API, without the API's path `/platform/v1`, which the provider adds to every call (a `base_url` holding it is refused). Defaults to `https://api.vcita.biz`, or the `VCITA_BASE_URL` environment variable. Must be `https`, except for a loopback host (`localhost`, `127.0.0.0/8`, `::1`), which may use `http` for local testing. It must not hold credentials, a query or a fragment; an error about it shows those parts as `[redacted]`.",
				Optional:            true,
			},
			"business_id": schema.StringAttribute{
				MarkdownDescription: "Business UID a directory token acts for: every request carries it as the `X-On-Behalf-Of` header. Falls back to the `VCITA_BUSINESS_ID` environment variable; leave unset for a staff token or for directory-level subscriptions. A resource or data source can override it with its own `business_id`.",
				Optional:            true,
				Validators:          []validator.String{businessIDValidator{}},
			},
			"allow_unknown_events": schema.BoolAttribute{
				MarkdownDescription: "When `true`, an event missing from the provider's catalogue is a warning instead of an error, for events the API has added before this provider knows them. The `entity/event_type` format is always checked. Defaults to `false`, or the `VCITA_ALLOW_UNKNOWN_EVENTS` environment variable.",
				Optional:            true,
			},
			"max_retries": schema.NumberAttribute{
				// A Number rather than an Int64: see retriesValidator.
				MarkdownDescription: "How many times a request that failed with a connection error, a timeout, `502` or `504` is retried, with exponential backoff and jitter: " +
					"a whole number from `0` to `20`. " +
					"Throttling (`429`, `503`) is not counted: the API asking the provider to slow down is retried until the operation's time budget ends (two minutes, or the resource's `timeouts`), " +
					"and every other request of the provider waits too. A `Retry-After` header is honoured up to 15 seconds per wait. " +
					"`0` turns off every retry, throttling included, to fail fast. Defaults to `4`, or the `VCITA_MAX_RETRIES` environment variable.",
				Optional:   true,
				Validators: []validator.Number{retriesValidator{}},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of each request, as a duration such as `30s` or `1m`. Defaults to `30s`, or the `VCITA_REQUEST_TIMEOUT` environment variable.",
				Optional:            true,
				Validators:          []validator.String{durationValidator{}},
			},
		},
	}
}

func (p *vcitaProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings, diags := resolveSettings(config, lookupEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{businessID: settings.businessID, allowUnknownEvents: settings.allowUnknownEvents, urls: newURLRegistry()}
	if config.hasUnknownValues() {
		// A value depends on a resource not yet applied. Defer where
		// Terraform supports it; otherwise configure nothing now, and let
		// any call that needs the API say why (requireClient).
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		tflog.Debug(ctx, "vcita provider configuration has unknown values; the API client is not configured yet")
		resp.ResourceData, resp.DataSourceData, resp.ListResourceData = data, data, data
		return
	}

	client, err := vcita.New(vcita.Config{
		BaseURL:        settings.baseURL,
		Token:          settings.token,
		UserAgent:      "terraform-provider-vcita/" + p.version,
		MaxRetries:     settings.maxRetries,
		RequestTimeout: settings.requestTimeout,
		Transport:      newLoggingTransport(http.DefaultTransport, settings.token),
	})
	if err != nil {
		resp.Diagnostics.AddError("Invalid Provider Configuration", "The vcita API client could not be set up: "+err.Error()+".")
		return
	}
	data.client = client
	resp.ResourceData, resp.DataSourceData, resp.ListResourceData = data, data, data
}

func (p *vcitaProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newWebhookSubscriptionResource,
		newWebhookEndpointResource,
	}
}

// ListResources serve `terraform query` (Terraform 1.14 and later).
func (p *vcitaProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newWebhookSubscriptionListResource,
		newWebhookEndpointListResource,
	}
}

func (p *vcitaProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newWebhookSubscriptionsDataSource,
		newWebhookEventsDataSource,
	}
}

// Functions are the provider-defined functions (Terraform 1.8 and later,
// OpenTofu 1.7 and later), called as provider::vcita::<name>.
func (p *vcitaProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		newCanonicalEventFunction,
	}
}
