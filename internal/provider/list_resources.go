package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// What every list resource over webhook subscriptions shares (Terraform 1.14
// and later: `list` blocks in .tfquery.hcl files, run by `terraform query`):
// the config block, which takes the filters of the vcita_webhook_subscriptions
// data source (the endpoint's list resource lists every URL that has a
// matching subscription, with all its events); the listing, one list call per business for
// a whole query; and the results: identity, display name, resource, limit.

// subscriptionLister is what each such list resource embeds: the provider's
// data, and the managed resource it lists, whose type name it takes
// (Terraform pairs a list resource with the managed resource of the same
// name).
type subscriptionLister struct {
	typeSuffix string // "_webhook_subscription", ...
	data       *providerData
}

func (l *subscriptionLister) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.typeSuffix
}

func (l *subscriptionLister) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// subscriptionListModel is the config block of such a list resource.
type subscriptionListModel struct {
	BusinessID types.String `tfsdk:"business_id"`
	Entity     types.String `tfsdk:"entity"`
	EventType  types.String `tfsdk:"event_type"`
	TargetURL  types.String `tfsdk:"target_url"`
}

func (m subscriptionListModel) filter() subscriptionFilter {
	return subscriptionFilter{
		entity:    m.Entity.ValueString(),
		eventType: m.EventType.ValueString(),
		targetURL: m.TargetURL.ValueString(),
	}
}

// subscriptionListSchema is the config schema of such a list resource;
// filters say what its filters select.
func subscriptionListSchema(description string, filters filterDescriptions) listschema.Schema {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	return listschema.Schema{
		MarkdownDescription: description,
		Attributes: map[string]listschema.Attribute{
			"business_id": listschema.StringAttribute{
				MarkdownDescription: listBusinessIDDescription,
				Optional:            true,
				Validators:          businessIDValidators(),
			},
			"entity": listschema.StringAttribute{
				MarkdownDescription: filters.entity,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"event_type": listschema.StringAttribute{
				MarkdownDescription: filters.eventType,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"target_url": listschema.StringAttribute{
				MarkdownDescription: filters.targetURL,
				Optional:            true,
				Validators:          nonEmpty,
			},
		},
	}
}

// subscriptionListing is what a list resource lists from: the subscriptions
// of one business and those of them that match the configured filters.
type subscriptionListing struct {
	// all are every subscription the business has, as the API lists them.
	// The client's list cache shares them: never modify them.
	all []vcita.Subscription
	// matching are those that match the filters, ordered by id.
	matching []vcita.Subscription
	// business is the business listed ("" for the token's own scope).
	business string
}

// listRequestMatching is listMatching for a list block: its config block
// holds the business and the filters.
func listRequestMatching(ctx context.Context, data *providerData, req list.ListRequest) (subscriptionListing, diag.Diagnostics) {
	var config subscriptionListModel
	diags := req.Config.Get(ctx, &config)
	if diags.HasError() {
		return subscriptionListing{}, diags
	}
	listing, listDiags := listMatching(ctx, data, config)
	diags.Append(listDiags...)
	return listing, diags
}

// listMatching lists the subscriptions of config's business and finds those
// that match its filters: what the vcita_webhook_subscriptions data source
// and every list resource show. The client's list cache makes every list
// block of a query that names the same business share one list call. The
// diagnostics may hold warnings alone, which the caller passes on (see
// listResults).
func listMatching(ctx context.Context, data *providerData, config subscriptionListModel) (subscriptionListing, diag.Diagnostics) {
	var diags diag.Diagnostics
	client := requireClient(data, &diags)
	if diags.HasError() {
		return subscriptionListing{}, diags
	}
	filter := config.filter()
	// A filter outside the catalogue is a warning, not silence: it most
	// likely matches nothing.
	diags.Append(filter.diagnostics()...)
	business := businessFor(config.BusinessID, data)
	subs, err := client.ListSubscriptions(ctx, business)
	if err != nil {
		diags.Append(apiErrorDiagnostic("list the webhook subscriptions", err))
		return subscriptionListing{}, diags
	}
	return subscriptionListing{all: subs, matching: matchingSubscriptions(subs, filter), business: business}, diags
}

// listResults streams the warnings (as a result of their own, which the
// framework passes through), then one result for each item, in order, and no
// more than the query's limit. describe gives an item's display name and the
// model of the resource an import of it records, which sets the result's
// identity and, when the query asks for it, its resource.
func listResults[T any, M identified](ctx context.Context, req list.ListRequest, warnings diag.Diagnostics, items []T, describe func(T) (string, M)) iter.Seq[list.ListResult] {
	if req.Limit > 0 && int64(len(items)) > req.Limit {
		items = items[:req.Limit]
	}
	return func(push func(list.ListResult) bool) {
		if len(warnings) > 0 && !push(list.ListResult{Diagnostics: warnings}) {
			return
		}
		for _, item := range items {
			result := req.NewListResult(ctx)
			name, m := describe(item)
			result.DisplayName = name
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, m)...)
			if req.IncludeResource {
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
