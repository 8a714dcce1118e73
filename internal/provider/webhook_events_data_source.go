package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

var _ datasource.DataSource = (*webhookEventsDataSource)(nil)

func newWebhookEventsDataSource() datasource.DataSource {
	return &webhookEventsDataSource{}
}

// webhookEventsDataSource exposes the provider's event catalogue, so that
// modules can validate and iterate events without hard-coding them. It
// calls no API.
type webhookEventsDataSource struct{}

type webhookEventsModel struct {
	Entity   types.String        `tfsdk:"entity"`
	Events   []string            `tfsdk:"events"`
	Entities map[string][]string `tfsdk:"entities"`
	Aliases  map[string]string   `tfsdk:"aliases"`
}

func (d *webhookEventsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_events"
}

func (d *webhookEventsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The webhook events the provider knows: the vcita API's catalogue of `entity/event_type` values, " +
			"by entity, with the entity aliases the API accepts. Reads no API.",
		Attributes: map[string]schema.Attribute{
			"entity": schema.StringAttribute{
				MarkdownDescription: "Only the events of this entity. An alias also gives its canonical entity's events, and a canonical entity its aliases' (`appointment` and `meeting` give the same list).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"events": schema.ListAttribute{
				MarkdownDescription: "Every event, as `entity/event_type`, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"entities": schema.MapAttribute{
				MarkdownDescription: "Each entity with its event types, sorted.",
				ElementType:         types.ListType{ElemType: types.StringType},
				Computed:            true,
			},
			"aliases": schema.MapAttribute{
				MarkdownDescription: "Each entity alias the API accepts, with the canonical entity it stands for (`lead` = `client`, `account` = `business`, `appointment` = `meeting`, `engagement` = `matter`).",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *webhookEventsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config webhookEventsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state := catalogueModel(config.Entity.ValueString())
	state.Entity = config.Entity
	if !config.Entity.IsNull() && len(state.Events) == 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("entity"), "No Events For This Entity",
			"The catalogue has no event of entity "+config.Entity.ValueString()+", so events and entities are empty."+
				didYouMean(catalog.SuggestEntity(config.Entity.ValueString(), 3))+
				" The entities attribute of an unfiltered vcita_webhook_events lists the known entities.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// catalogueModel builds the data source's state from the catalogue, for one
// entity (and its aliases) or, with entity empty, for all.
func catalogueModel(entity string) webhookEventsModel {
	m := webhookEventsModel{Events: catalog.Events(), Entities: catalog.Entities(), Aliases: catalog.Aliases()}
	if entity == "" {
		return m
	}
	m.Events = catalog.EventsOfEntity(entity)
	if m.Events == nil {
		m.Events = []string{}
	}
	for name := range m.Entities {
		if !catalog.EntitiesMatch(name, entity) {
			delete(m.Entities, name)
		}
	}
	return m
}
