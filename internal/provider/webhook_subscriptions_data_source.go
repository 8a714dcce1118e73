package provider

import (
	"context"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
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
				MarkdownDescription: filterEntityDescription,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"event_type": schema.StringAttribute{
				MarkdownDescription: filterEventTypeDescription,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"target_url": schema.StringAttribute{
				MarkdownDescription: filterTargetURLDescription,
				Optional:            true,
				Validators:          nonEmpty,
			},
			"business_id": schema.StringAttribute{
				MarkdownDescription: listBusinessIDDescription,
				Optional:            true,
				Validators:          nonEmpty,
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
	client := requireClient(d.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	subs, err := client.ListSubscriptions(ctx, businessFor(config.BusinessID, d.data))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("list the webhook subscriptions", err))
		return
	}
	config.Subscriptions = filterSubscriptions(subs, subscriptionFilter{
		entity:    config.Entity.ValueString(),
		eventType: config.EventType.ValueString(),
		targetURL: config.TargetURL.ValueString(),
	})
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// subscriptionFilter holds the data source's filters; empty means any.
type subscriptionFilter struct {
	entity, eventType, targetURL string
}

func (f subscriptionFilter) matches(s vcita.Subscription) bool {
	return (f.entity == "" || catalog.EntitiesMatch(f.entity, s.Entity)) &&
		(f.eventType == "" || catalog.EventTypesMatch(f.eventType, s.EventType)) &&
		(f.targetURL == "" || f.targetURL == s.TargetURL)
}

// matchingSubscriptions returns the subscriptions that match filter, ordered
// by id (numerically where ids are numbers), so that plans do not churn when
// the API returns them in another order. It never modifies subs, which the
// list cache shares. The data source and the list resource both filter here.
func matchingSubscriptions(subs []vcita.Subscription, filter subscriptionFilter) []vcita.Subscription {
	matched := make([]vcita.Subscription, 0, len(subs))
	for _, s := range subs {
		if filter.matches(s) {
			matched = append(matched, s)
		}
	}
	sort.SliceStable(matched, func(i, j int) bool { return idLess(matched[i].ID, matched[j].ID) })
	return matched
}

// filterSubscriptions returns the matching subscriptions as the data source
// lists them (see matchingSubscriptions).
func filterSubscriptions(subs []vcita.Subscription, filter subscriptionFilter) []listedSubscription {
	matched := matchingSubscriptions(subs, filter)
	out := make([]listedSubscription, len(matched))
	for i, s := range matched {
		out[i] = listedSubscription{
			ID:        types.StringValue(s.ID),
			Event:     types.StringValue(s.Event()),
			Entity:    types.StringValue(catalog.CanonicalEntity(s.Entity)),
			EventType: types.StringValue(s.EventType),
			TargetURL: types.StringValue(s.TargetURL),
		}
	}
	return out
}

func idLess(a, b string) bool {
	na, errA := strconv.ParseInt(a, 10, 64)
	nb, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return na < nb
	}
	if (errA == nil) != (errB == nil) {
		return errA == nil // numbers first
	}
	return a < b
}
