package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*webhookSubscriptionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*webhookSubscriptionsDataSource)(nil)
)

func newWebhookSubscriptionsDataSource() datasource.DataSource {
	return &webhookSubscriptionsDataSource{}
}

// webhookSubscriptionsDataSource lists the subscriptions that exist, made by
// Terraform or not.
type webhookSubscriptionsDataSource struct {
	data *providerData
}

type webhookSubscriptionsModel struct {
	Entity        types.String         `tfsdk:"entity"`
	EventType     types.String         `tfsdk:"event_type"`
	TargetURL     types.String         `tfsdk:"target_url"`
	BusinessID    types.String         `tfsdk:"business_id"`
	Subscriptions []listedSubscription `tfsdk:"subscriptions"`
}

type listedSubscription struct {
	ID        types.String `tfsdk:"id"`
	Event     types.String `tfsdk:"event"`
	Entity    types.String `tfsdk:"entity"`
	EventType types.String `tfsdk:"event_type"`
	TargetURL types.String `tfsdk:"target_url"`
}

func (d *webhookSubscriptionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_subscriptions"
}

func (d *webhookSubscriptionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the webhook subscriptions of a business (or of the token's own scope), whoever made them, optionally filtered.",
		Attributes: map[string]schema.Attribute{
			"entity": schema.StringAttribute{
				MarkdownDescription: subscriptionFilters.entity,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"event_type": schema.StringAttribute{
				MarkdownDescription: subscriptionFilters.eventType,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"target_url": schema.StringAttribute{
				MarkdownDescription: subscriptionFilters.targetURL,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"business_id": schema.StringAttribute{
				MarkdownDescription: listBusinessIDDescription,
				Optional:            true,
				Validators:          businessIDValidators(),
			},
			"subscriptions": schema.ListNestedAttribute{
				MarkdownDescription: "The matching subscriptions, ordered by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "The subscription id.",
							Computed:            true,
						},
						"event": schema.StringAttribute{
							MarkdownDescription: "The event as the API reports it, `entity/event_type`.",
							Computed:            true,
						},
						"entity": schema.StringAttribute{
							MarkdownDescription: "The canonical entity (aliases resolved).",
							Computed:            true,
						},
						"event_type": schema.StringAttribute{
							MarkdownDescription: "The event type as the API reports it.",
							Computed:            true,
						},
						"target_url": schema.StringAttribute{
							MarkdownDescription: "The target URL.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *webhookSubscriptionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookSubscriptionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config webhookSubscriptionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	listing, diags := listMatching(ctx, d.data, subscriptionListModel{
		BusinessID: config.BusinessID,
		Entity:     config.Entity,
		EventType:  config.EventType,
		TargetURL:  config.TargetURL,
	})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	config.Subscriptions = listedSubscriptions(listing.matching)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
