package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

var (
	_ resource.Resource                = (*webhookEndpointResource)(nil)
	_ resource.ResourceWithConfigure   = (*webhookEndpointResource)(nil)
	_ resource.ResourceWithImportState = (*webhookEndpointResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*webhookEndpointResource)(nil)
)

func newWebhookEndpointResource() resource.Resource {
	return &webhookEndpointResource{}
}

// webhookEndpointResource manages every subscription of one target URL in
// one business: the URL receives exactly its events. The API has one
// subscription per event and URL and no update, so the resource turns a
// change of its events into the subscribe and unsubscribe calls that make
// the difference.
type webhookEndpointResource struct {
	data *providerData
}

const webhookEndpointTypeSuffix = "_webhook_endpoint"

func (r *webhookEndpointResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + webhookEndpointTypeSuffix
}

func (r *webhookEndpointResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Subscribes one target URL to a set of vcita webhook events, and owns every subscription of that URL in its business: " +
			"a subscription of the URL that is not in `events`, made by hand or by anything else, shows in the plan and is removed. " +
			"Changing `events` subscribes and unsubscribes exactly the difference, in place.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The target URL, prefixed by `<business_id>:` when the endpoint has a business: the import id.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"target_url": targetURLAttribute(),
			"events": schema.SetAttribute{
				MarkdownDescription: "The events the URL receives, at least one, each " + eventFormatDescription + " " +
					"Two spellings of one event in the set (`client/created` and `lead/created`) are an error. " +
					"Spellings that name the same event (an alias entity such as `lead` for `client`; `create` and `created`, where the catalogue lists both) are equal: " +
					"changing only spellings causes no change and sends nothing; an import, or a subscription found on the URL, takes the catalogue spelling. " +
					"After a refresh the set holds what the API lists for the URL: an event subscribed outside Terraform appears here (and the plan removes it), " +
					"one unsubscribed outside Terraform disappears (and the plan adds it back).",
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					atLeastOneEventValidator{},
					setvalidator.ValueStringsAre(eventFormatValidator{}),
					distinctEventsValidator{},
				},
				PlanModifiers: []planmodifier.Set{keepEquivalentEvents{}},
			},
			"business_id": managedBusinessIDAttribute("the endpoint"),
			"subscription_ids": schema.MapAttribute{
				MarkdownDescription: "The API's subscription id of each event, keyed by the event as written in `events`.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx, "the endpoint")},
	}
}

func (r *webhookEndpointResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan settles the business, checks each event against the catalogue
// (both need the configured provider), plans the id, and warns before any
// subscription the endpoint did not make is removed.
func (r *webhookEndpointResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config webhookEndpointModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.BusinessID.IsNull() {
		planInheritedBusiness(ctx, r.data, plan.BusinessID, req, resp)
		resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("business_id"), &plan.BusinessID)...)
	}
	events, eventsKnown := knownStrings(plan.Events)
	allowUnknown := r.data != nil && r.data.allowUnknownEvents
	for _, event := range events {
		resp.Diagnostics.Append(eventCatalogueDiagnostics(path.Root("events").AtSetValue(types.StringValue(event)), event, allowUnknown)...)
	}
	if resp.Diagnostics.HasError() || plan.TargetURL.IsUnknown() || plan.BusinessID.IsUnknown() {
		return
	}
	if plan.ID.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), endpointID(plan.BusinessID, plan.TargetURL.ValueString()))...)
	}
	resp.Diagnostics.Append(keepSubscriptionIDs(ctx, req, resp, plan)...)
	if eventsKnown {
		resp.Diagnostics.Append(r.removalWarning(ctx, req, plan, events)...)
	}
}

// keepSubscriptionIDs plans the subscription ids of the state when the plan
// changes none of the endpoint's subscriptions: the framework marks every
// computed attribute unknown as soon as the configuration differs from the
// state in any way, a respelling of the events included, which would show
// as an update.
func keepSubscriptionIDs(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan webhookEndpointModel) diag.Diagnostics {
	if req.State.Raw.IsNull() || !plan.SubscriptionIDs.IsUnknown() {
		return nil
	}
	var state webhookEndpointModel
	if diags := req.State.Get(ctx, &state); diags.HasError() {
		return diags
	}
	if !plan.Events.Equal(state.Events) || !plan.TargetURL.Equal(state.TargetURL) || !plan.BusinessID.Equal(state.BusinessID) {
		return nil
	}
	return resp.Plan.SetAttribute(ctx, path.Root("subscription_ids"), state.SubscriptionIDs)
}

// removalWarning names each subscription of the URL that applying the plan
// removes although the endpoint did not make it: on create, every listed
// subscription of the URL that is not in events (and, apart, any listed
// without an event, which it cannot remove); on update, every one a refresh
// found on the URL. Such a subscription may belong to a
// vcita_webhook_subscription or another configuration, which would put it
// back on its next apply: the warning shows the conflict before it starts.
func (r *webhookEndpointResource) removalWarning(ctx context.Context, req resource.ModifyPlanRequest, plan webhookEndpointModel, events []string) diag.Diagnostics {
	wanted := make(map[string]bool, len(events))
	for _, event := range events {
		wanted[eventKey(event)] = true
	}
	targetURL := plan.TargetURL.ValueString()
	var found endpointSubscriptions
	var diags diag.Diagnostics
	if req.State.Raw.IsNull() {
		if !r.data.configured() {
			return nil // nothing can be listed before the provider is configured
		}
		subs, err := r.data.client.ListSubscriptions(ctx, businessFor(plan.BusinessID, r.data))
		if err != nil {
			return diag.Diagnostics{apiErrorDiagnostic("list the subscriptions of "+vcita.RedactedURL(targetURL), err)}
		}
		found = endpointFromSubscriptions(subs, targetURL, nil)
		diags = unnamedSubscriptionsWarning(subs, targetURL)
	} else {
		var state webhookEndpointModel
		if stateDiags := req.State.Get(ctx, &state); stateDiags.HasError() {
			return stateDiags
		}
		found = state.subscriptions()
		for key := range appliedEvents(ctx, req.Private) {
			delete(found, key)
		}
	}
	var removed []string
	for _, key := range found.keys() {
		if !wanted[key] {
			sub := found[key]
			removed = append(removed, fmt.Sprintf("- %s (subscription %s)", sub.Event, sub.ID))
		}
	}
	if len(removed) == 0 {
		return diags
	}
	diags.AddAttributeWarning(path.Root("events"), "Webhook Endpoint Removes Subscriptions It Did Not Make",
		fmt.Sprintf("vcita has these subscriptions of %s, which this endpoint did not make and whose events are not in its events:\n\n%s\n\n"+
			"The endpoint owns every subscription of its URL, so applying this plan unsubscribes them. If they were made by hand and are not wanted, nothing needs doing. "+
			"To keep one, add its event to events. If a vcita_webhook_subscription or another configuration manages it, the two will undo each other on every apply: "+
			"manage each URL with one endpoint only, and move the other's events into it.",
			targetURL, strings.Join(removed, "\n")))
	return diags
}

func (r *webhookEndpointResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookEndpointModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withOperationBudget(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.BusinessID = recordedBusiness(plan.BusinessID, r.data)
	business, targetURL := recordedScope(plan.BusinessID), plan.TargetURL.ValueString()
	want, _ := knownStrings(plan.Events)

	// Events already subscribed on the URL are adopted, and every other
	// subscription of the URL removed.
	subs, err := client.ListSubscriptions(ctx, business)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("list the subscriptions of "+targetURL, err))
		return
	}
	have := endpointFromSubscriptions(subs, targetURL, want)
	r.apply(ctx, client, plan, have, want, &resp.State, resp.Identity, resp.Private, &resp.Diagnostics)
}

func (r *webhookEndpointResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookEndpointModel
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
	targetURL := state.TargetURL.ValueString()
	subs, err := client.ListSubscriptions(ctx, recordedScope(state.BusinessID))
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("read the subscriptions of "+vcita.RedactedURL(targetURL), err))
		return
	}
	resp.Diagnostics.Append(unnamedSubscriptionsWarning(subs, targetURL)...)
	spellings, _ := knownStrings(state.Events)
	current := endpointModelFromSubscriptions(subs, state.BusinessID, targetURL, spellings)
	current.Timeouts = state.Timeouts
	if len(current.Events.Elements()) == 0 {
		if near, ok := listedURLNear(subs, targetURL, ""); ok && state.Events.IsNull() {
			// An import (it records no events) of a URL that differs from a
			// listed one only in case or a trailing slash.
			resp.Diagnostics.AddError("Webhook Endpoint Not Found", fmt.Sprintf(
				"vcita lists no subscription of %s, so there is nothing to import. vcita has a subscription on %s, which differs only in case or a trailing slash: "+
					"the API compares URLs exactly, so import that URL, and write it exactly so in target_url.", vcita.RedactedURL(targetURL), vcita.RedactedURL(near)))
			return
		}
		// Not one subscription of the URL is left: the endpoint is gone, and
		// the next plan creates it again.
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, current)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, current)...)
}

// Update sends exactly the difference between the events the endpoint has
// and the planned ones; a respelling alone sends nothing.
func (r *webhookEndpointResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state webhookEndpointModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withOperationBudget(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	want, _ := knownStrings(plan.Events)
	r.apply(ctx, client, plan, state.subscriptions(), want, &resp.State, resp.Identity, resp.Private, &resp.Diagnostics)
}

// stateSetter is the part of tfsdk.State that apply writes.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// apply makes the calls from have to want, then records in the state (and
// the identity) what the endpoint has afterwards (all of want when every
// call succeeded) and reports each failed call.
func (r *webhookEndpointResource) apply(ctx context.Context, client *vcita.Client, plan webhookEndpointModel, have endpointSubscriptions, want []string,
	state stateSetter, identity *tfsdk.ResourceIdentity, private privateState, diags *diag.Diagnostics,
) {
	business, targetURL := recordedScope(plan.BusinessID), plan.TargetURL.ValueString()
	calls := endpointChanges(have, want)
	sendEndpointCalls(ctx, client, business, targetURL, calls)
	after := afterEndpointCalls(have, want, calls)
	recorded := endpointModel(plan.BusinessID, targetURL, after)
	recorded.Timeouts = plan.Timeouts
	diags.Append(endpointCallsDiagnostic(targetURL, calls)...)
	diags.Append(state.Set(ctx, recorded)...)
	diags.Append(setIdentity(ctx, identity, recorded)...)
	diags.Append(recordAppliedEvents(ctx, private, after)...)
}

// Delete unsubscribes each event of the endpoint, every call naming its
// event. When some calls fail, the endpoint stays in the state with the
// subscriptions that are still there.
func (r *webhookEndpointResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookEndpointModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withOperationBudget(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	have := state.subscriptions()
	calls := endpointChanges(have, nil)
	targetURL := state.TargetURL.ValueString()
	sendEndpointCalls(ctx, client, recordedScope(state.BusinessID), targetURL, calls)
	failed := endpointCallsDiagnostic(targetURL, calls)
	if !failed.HasError() {
		return
	}
	resp.Diagnostics.Append(failed...)
	remaining := endpointModel(state.BusinessID, targetURL, afterEndpointCalls(have, nil, calls))
	remaining.Timeouts = state.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, remaining)...)
}

// ImportState accepts [<business_id>:]<target_url>, or an import block's
// identity. It records the business to read in; Read then lists the URL's
// subscriptions and fills in the events.
func (r *webhookEndpointResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := requestedEndpointImport(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Record the business to read in, the provider's when the import named
	// none, so that Read and Delete act there from now on (a null business
	// in the state is the token's own scope; see Read).
	business := importScope(id.BusinessID, r.data)
	if business != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("business_id"), business)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("target_url"), id.TargetURL)...)
	known := webhookEndpointModel{TargetURL: types.StringValue(id.TargetURL), BusinessID: businessValue(business)}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, known)...)
}
