package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// What every list resource over webhook subscriptions shares (Terraform 1.14
// and later: `list` blocks in .tfquery.hcl files, run by `terraform query`):
// the config block, which takes the filters of the vcita_webhook_subscriptions
// data source and means the same; the listing, one list call per business for
// a whole query; and the limit.

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

// subscriptionListSchema is the config schema of such a list resource.
func subscriptionListSchema(description string) listschema.Schema {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	return listschema.Schema{
		MarkdownDescription: description,
		Attributes: map[string]listschema.Attribute{
			"business_id": listschema.StringAttribute{
				MarkdownDescription: listBusinessIDDescription,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"entity": listschema.StringAttribute{
				MarkdownDescription: filterEntityDescription,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"event_type": listschema.StringAttribute{
				MarkdownDescription: filterEventTypeDescription,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"target_url": listschema.StringAttribute{
				MarkdownDescription: filterTargetURLDescription,
				Optional:            true,
				Validators:          nonEmpty,
			},
		},
	}
}

// listMatching returns the subscriptions of the configured business that
// match the configured filters, ordered by id, and that business ("" for the
// token's own scope). The client's list cache makes every list block of a
// query that names the same business share one list call.
func listMatching(ctx context.Context, data *providerData, req list.ListRequest) ([]vcita.Subscription, string, diag.Diagnostics) {
	var config subscriptionListModel
	diags := req.Config.Get(ctx, &config)
	client := requireClient(data, &diags)
	if diags.HasError() {
		return nil, "", diags
	}
	filter := config.filter()
	// A filter outside the catalogue is a warning, not silence: it most
	// likely matches nothing.
	diags.Append(filter.diagnostics()...)
	business := businessFor(config.BusinessID, data)
	subs, err := client.ListSubscriptions(ctx, business)
	if err != nil {
		diags.Append(apiErrorDiagnostic("list the webhook subscriptions", err))
		return nil, "", diags
	}
	return matchingSubscriptions(subs, filter), business, diags
}

// listResults streams the warnings (as a result of their own, which the
// framework passes through), then one result for each item, in order, and no
// more than the query's limit. fill sets the result's identity, display name
// and, when the query asks for it, resource.
func listResults[T any](ctx context.Context, req list.ListRequest, warnings diag.Diagnostics, items []T, fill func(T, *list.ListResult)) iter.Seq[list.ListResult] {
	if req.Limit > 0 && int64(len(items)) > req.Limit {
		items = items[:req.Limit]
	}
	return func(push func(list.ListResult) bool) {
		if len(warnings) > 0 && !push(list.ListResult{Diagnostics: warnings}) {
			return
		}
		for _, item := range items {
			result := req.NewListResult(ctx)
			fill(item, &result)
			if !push(result) {
				return
			}
		}
	}
}
