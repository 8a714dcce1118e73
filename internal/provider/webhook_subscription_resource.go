package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

var (
	_ resource.Resource                = (*webhookSubscriptionResource)(nil)
	_ resource.ResourceWithConfigure   = (*webhookSubscriptionResource)(nil)
	_ resource.ResourceWithImportState = (*webhookSubscriptionResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*webhookSubscriptionResource)(nil)
	_ resource.ResourceWithIdentity    = (*webhookSubscriptionResource)(nil)
)

func newWebhookSubscriptionResource() resource.Resource {
	return &webhookSubscriptionResource{}
}

// webhookSubscriptionResource manages one subscription of a target URL to
// one event. The API has no update: every change is a replacement.
type webhookSubscriptionResource struct {
	data *providerData
}

// webhookSubscriptionTypeSuffix names both the managed resource and the list
// resource that lists it: Terraform pairs them by name.
const webhookSubscriptionTypeSuffix = "_webhook_subscription"

// webhookSubscriptionModel is the resource's state.
type webhookSubscriptionModel struct {
	ID         types.String   `tfsdk:"id"`
	Event      eventValue     `tfsdk:"event"`
	TargetURL  types.String   `tfsdk:"target_url"`
	BusinessID types.String   `tfsdk:"business_id"`
	Entity     types.String   `tfsdk:"entity"`
	EventType  types.String   `tfsdk:"event_type"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (r *webhookSubscriptionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + webhookSubscriptionTypeSuffix
	// A subscription deleted and made again outside Terraform with the same
	// event and target URL has a new id, which Read takes (see the id
	// attribute): the identity follows it rather than failing the refresh.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *webhookSubscriptionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Subscribes one target URL to one vcita webhook event. The API identifies a subscription by its event and target URL; " +
			"it has no update, so changing either replaces the subscription.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The API's subscription id, as its list reports it. It does not change while the subscription exists; if the subscription is deleted and made again outside Terraform with the same event and target URL, the next refresh takes the new id.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"event": schema.StringAttribute{
				MarkdownDescription: "The event, " + eventFormatDescription + " " + eventSpellingsDescription + " Changing it to another event forces replacement.",
				Required:            true,
				CustomType:          eventType{},
				Validators:          []validator.String{eventFormatValidator{}},
				PlanModifiers:       []planmodifier.String{keepEquivalentEvent{}, stringplanmodifier.RequiresReplace()},
			},
			"target_url":  targetURLAttribute(),
			"business_id": managedBusinessIDAttribute("the subscription"),
			"entity": schema.StringAttribute{
				MarkdownDescription: "The canonical entity of the event, with aliases resolved (`lead` is `client`, `account` is `business`, `appointment` is `meeting`, `engagement` is `matter`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"event_type": schema.StringAttribute{
				MarkdownDescription: "The event type as the API reports it, which may be the base verb (`create`) of the past tense subscribed to (`created`).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx, "the subscription")},
	}
}

func (r *webhookSubscriptionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks the event against the catalogue and settles the
// business. Both run here, not in validators and attribute plan modifiers,
// because they need the configured provider: its allow_unknown_events and
// its business_id.
func (r *webhookSubscriptionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config webhookSubscriptionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.BusinessID.IsNull() {
		planInheritedBusiness(ctx, r.data, plan.BusinessID, req, resp)
		resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("business_id"), &plan.BusinessID)...)
	}
	if !plan.BusinessID.IsUnknown() && !plan.TargetURL.IsUnknown() {
		event := ""
		if !plan.Event.IsUnknown() {
			event = plan.Event.ValueString()
		}
		resp.Diagnostics.Append(claimPlannedURL(ctx, r.data, claimSubscription, plan.BusinessID, plan.TargetURL.ValueString(), event, req, resp)...)
	}
	if plan.Event.IsUnknown() || plan.Event.IsNull() {
		return
	}
	event := plan.Event.ValueString()
	allowUnknown := r.data != nil && r.data.allowUnknownEvents
	resp.Diagnostics.Append(eventCatalogueDiagnostics(path.Root("event"), event, allowUnknown)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The canonical entity follows from the event alone, so show it in the
	// plan rather than as "known after apply".
	if plan.Entity.IsUnknown() {
		if parsed, err := catalog.ParseEvent(event); err == nil {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("entity"), catalog.CanonicalEntity(parsed.Entity))...)
		}
	}
}

func (r *webhookSubscriptionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookSubscriptionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withOperationBudget(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.BusinessID = recordedBusiness(plan.BusinessID, r.data)
	business := r.business(plan)
	event, targetURL := plan.Event.ValueString(), plan.TargetURL.ValueString()

	sent, _ := parsedEvent(event).CatalogueSpelling()
	defer r.data.urls.lockURL(business, targetURL, false)()
	result, err := client.Subscribe(ctx, business, sent, targetURL)
	if err != nil {
		if vcita.IsConflict(err) {
			resp.Diagnostics.Append(alreadyExistsDiagnostic(ctx, r.data, plan, business, err))
			return
		}
		resp.Diagnostics.Append(subscribeErrorDiagnostic(event, targetURL, err))
		return
	}
	if result.Adopted {
		tflog.Info(ctx, "The subscribe answer was lost, but the list shows the subscription this call created; adopting it", map[string]any{
			"subscription_id": result.Subscription.ID,
		})
	}
	created := modelFromSubscription(result.Subscription, plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, created)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, created)...)
	if resp.Private != nil { // nil only when a unit test calls Create by hand
		resp.Diagnostics.Append(startInstance(ctx, resp.Private)...)
	}
}

func (r *webhookSubscriptionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookSubscriptionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withOperationBudget(ctx, state.Timeouts.Read, &resp.Diagnostics)
	defer cancel()
	// The identity comes first, before anything can return or remove the
	// resource: see setIdentity.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state)...)
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	subs, err := client.ListSubscriptions(ctx, r.business(state))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("read the webhook subscriptions", err))
		return
	}
	sub, found := vcita.Find(subs, state.ID.ValueString(), parsedEvent(state.Event.ValueString()), state.TargetURL.ValueString())
	if !found && state.ID.IsNull() {
		// Only an import by <event>,<target_url> leaves the id unknown.
		// ImportState has just found it, so only a deletion in between gets
		// here. Removing the resource would fail on Terraform older than 1.12
		// ("Missing Resource Identity After Read"): say what happened instead.
		pair := importID{BusinessID: state.BusinessID.ValueString(), Event: state.Event.ValueString(), TargetURL: state.TargetURL.ValueString()}
		resp.Diagnostics.AddError("Webhook Subscription Not Found", importNotFoundDetail(pair, r.business(state), r.data.businessID, subs))
		return
	}
	if !found {
		tflog.Info(ctx, "The webhook subscription is no longer listed; removing it from the state", map[string]any{
			"subscription_id": state.ID.ValueString(),
		})
		resp.State.RemoveResource(ctx)
		return
	}
	if !sub.NamesAnEvent() {
		// Only an import by id can find such an item: a subscription with an
		// event matches only items of that event. Its event would be "/" (or
		// " / ", "client/created/extra"), which destroy would then send.
		resp.Diagnostics.AddError("Cannot Import A Subscription Without An Event",
			unnamedSubscriptionExplanation(sub)+" so this subscription cannot be managed by Terraform. "+
				"Nothing was imported. Check the subscription in vcita: subscribe the URL again to a named event, and import that.")
		return
	}
	current := modelFromSubscription(sub, state)
	resp.Diagnostics.Append(resp.State.Set(ctx, current)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, current)...)
}

// Update only records the plan: every attribute the user sets forces
// replacement, so Terraform calls Update only when nothing on the API needs
// to change (an equivalent spelling of the event is kept as it was).
func (r *webhookSubscriptionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan webhookSubscriptionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withOperationBudget(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan)...)
}

func (r *webhookSubscriptionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookSubscriptionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withOperationBudget(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Always name the event: without it the API removes every subscription
	// of the URL, including ones this resource does not own.
	event, targetURL := state.Event.ValueString(), state.TargetURL.ValueString()
	business := r.business(state)
	defer r.data.urls.lockURL(business, targetURL, false)()
	if r.data.urls.holds(business, targetURL, event) {
		// Moved into an endpoint of this apply, which has adopted it.
		tflog.Info(ctx, "An endpoint of this apply holds the subscription now; leaving it", map[string]any{"subscription_id": state.ID.ValueString()})
		return
	}
	sent, _ := parsedEvent(event).CatalogueSpelling()
	if err := client.Unsubscribe(ctx, business, sent, targetURL); err != nil {
		// It stays in the state: no endpoint of this apply may adopt it.
		r.data.urls.keepForDelete(business, targetURL, event)
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("unsubscribe %s from %s", vcita.RedactedURL(targetURL), event), err))
	}
}

// ImportState accepts a subscription id or an <event>,<target_url> pair,
// either optionally prefixed by <business_id>:, or an import block's
// identity. It looks the subscription up first, so that one that is not
// there fails with what was looked for and where, rather than Terraform's
// bare "non-existent remote object"; Read then fills in the rest (from the
// same list: the client shares it).
func (r *webhookSubscriptionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := requestedSubscriptionImport(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id.ByIdentity = importsByIdentity(req)
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	business := importScope(id.BusinessID, r.data)
	subs, err := client.ListSubscriptions(ctx, business)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("look up the subscription to import", err))
		return
	}
	if _, found := vcita.Find(subs, id.ID, parsedEvent(id.Event), id.TargetURL); !found {
		resp.Diagnostics.AddError("Webhook Subscription Not Found", importNotFoundDetail(id, business, r.data.businessID, subs))
		return
	}
	// Record the business it was found in, the provider's when the import
	// named none, so that Read and Delete act there from now on.
	id.BusinessID = business
	resp.Diagnostics.Append(importedState(ctx, id, resp)...)
	resp.Diagnostics.Append(startInstance(ctx, resp.Private)...)
}

// importedState is what an import knows before Read: the business, and the
// id (with the identity it gives) or the pair of event and target URL.
func importedState(ctx context.Context, id importID, resp *resource.ImportStateResponse) diag.Diagnostics {
	var diags diag.Diagnostics
	if id.BusinessID != "" {
		diags.Append(resp.State.SetAttribute(ctx, path.Root("business_id"), id.BusinessID)...)
	}
	if id.ID != "" {
		diags.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.ID)...)
		known := webhookSubscriptionModel{ID: types.StringValue(id.ID), BusinessID: businessValue(id.BusinessID)}
		diags.Append(setIdentity(ctx, resp.Identity, known)...)
		return diags
	}
	diags.Append(resp.State.SetAttribute(ctx, path.Root("event"), newEventValue(id.Event))...)
	diags.Append(resp.State.SetAttribute(ctx, path.Root("target_url"), id.TargetURL)...)
	return diags
}

// business returns the scope a subscription lives in (see recordedScope).
func (r *webhookSubscriptionResource) business(m webhookSubscriptionModel) string {
	return recordedScope(m.BusinessID)
}

// modelFromSubscription is the one place that turns a subscription as the
// API lists it into the resource's state. The event keeps the spelling the
// user wrote (prior), see listedSpelling.
func modelFromSubscription(sub vcita.Subscription, prior webhookSubscriptionModel) webhookSubscriptionModel {
	m := prior
	m.ID = types.StringValue(sub.ID)
	m.Event = newEventValue(listedSpelling(sub, prior.Event.ValueString()))
	m.TargetURL = types.StringValue(sub.TargetURL)
	m.Entity = types.StringValue(catalog.CanonicalEntity(sub.Entity))
	m.EventType = types.StringValue(sub.EventType)
	return m
}

// alreadyExistsDiagnostic explains a 422: the API identifies a subscription
// by its event (up to spellings) and target URL, and already has this one.
// (Two resources of this configuration that name one subscription fail
// their plan instead: see claimPlannedURL.) A create cannot know whether
// the existing subscription is the one this resource is replacing
// (Terraform does not give a create the state it replaces), so it names the
// three possible causes with what to do about each, the import command
// (with the existing id when the list has it) among them.
func alreadyExistsDiagnostic(ctx context.Context, data *providerData, plan webhookSubscriptionModel, business string, err error) diag.Diagnostic {
	event, targetURL := plan.Event.ValueString(), plan.TargetURL.ValueString()
	existing, listed := vcita.Subscription{}, false
	if subs, listErr := data.client.ListSubscriptions(ctx, business); listErr == nil {
		existing, listed = vcita.Find(subs, "", parsedEvent(event), targetURL)
	}
	which := "" // a sentence naming the existing subscription, when listed
	if listed {
		which = fmt.Sprintf("It is subscription %s, which the API lists as %s", existing.ID, existing.Event())
		if existing.Event() != event {
			which += fmt.Sprintf(", the same event as %s", event)
		}
		which += ". "
	}
	importID := event + "," + vcita.RedactedURL(targetURL)
	if listed && existing.ID != "" {
		importID = existing.ID
	}
	if !plan.BusinessID.IsNull() {
		importID = plan.BusinessID.ValueString() + ":" + importID
	}
	detail := fmt.Sprintf("A subscription of %s to %s already exists on vcita, so it cannot be created again. %s"+
		"The API identifies a subscription by its event and target URL (the spellings of one event, such as client/created and lead/created, are one), "+
		"so the existing subscription is one of these:\n\n"+
		"- The one this resource is replacing, when the resource has lifecycle { create_before_destroy = true } and keeps its event and target URL "+
		"(terraform apply -replace, a tainted resource): the new subscription cannot be made while the old one exists. "+
		"Remove create_before_destroy from the resource so that the old one is destroyed first, or destroy it first "+
		"(terraform apply -destroy -target=ADDRESS), then apply again.\n"+
		"- One that another resource, of this configuration or another, manages under the same or an equivalent event: keep only one of the two resources.\n"+
		"- One made outside Terraform: to manage it with this resource, import it (replace NAME with the resource's name):\n\n"+
		"  terraform import 'vcita_webhook_subscription.NAME' '%s'\n\n"+
		"or add an import block and apply:\n\n"+
		"  import {\n    to = vcita_webhook_subscription.NAME\n    id = %q\n  }\n\n%s",
		vcita.RedactedURL(targetURL), event, which, importID, importID, apiWords(err))
	return diag.NewAttributeErrorDiagnostic(path.Root("event"), "Webhook Subscription Already Exists", detail)
}

// The identity of a vcita_webhook_subscription (see resource_identity.go):
// `identity = { id = ..., business_id = ... }`.

// webhookSubscriptionIdentity is the identity of a subscription: its id, in
// the business it lives in (null: the token's own scope).
type webhookSubscriptionIdentity struct {
	ID         types.String `tfsdk:"id"`
	BusinessID types.String `tfsdk:"business_id"`
}

func (r *webhookSubscriptionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The subscription id, as the vcita_webhook_subscriptions data source and terraform query show it.",
				RequiredForImport: true,
			},
			"business_id": businessIDIdentityAttribute("the subscription"),
		},
	}
}

// identity is the identity of the subscription m describes.
func (m webhookSubscriptionModel) identity() any {
	return webhookSubscriptionIdentity{ID: m.ID, BusinessID: m.BusinessID}
}

// requestedSubscriptionImport is what an import of a subscription asks for:
// an import block's identity, or the import id (see parseImportID).
func requestedSubscriptionImport(ctx context.Context, req resource.ImportStateRequest) (importID, diag.Diagnostics) {
	return requestedImport[webhookSubscriptionIdentity](ctx, req, func(raw string) (importID, diag.Diagnostics) {
		var diags diag.Diagnostics
		id, err := parseImportID(raw)
		if err != nil {
			diags.AddError("Invalid Import Identifier", invalidImportIDDetail(raw, err, importIDForms))
		}
		return id, diags
	})
}

// importID reads an import block's identity as the import id it stands
// for: <business_id>:<id>, or <id> in the provider's business.
func (given webhookSubscriptionIdentity) importID() (importID, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !isSubscriptionID(given.ID.ValueString()) {
		diags.AddAttributeError(path.Root("id"), "Invalid Import Identity",
			fmt.Sprintf("Cannot import: the identity's id %q is not a subscription id. ", given.ID.ValueString())+
				"Use the numeric id that `terraform query` or the vcita_webhook_subscriptions data source shows, for example identity = { id = \"12345\" }.")
	}
	diags.Append(identityBusinessDiagnostics(given.BusinessID)...)
	return importID{ID: given.ID.ValueString(), BusinessID: given.BusinessID.ValueString()}, diags
}
