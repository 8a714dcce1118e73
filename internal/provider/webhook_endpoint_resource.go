package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

var (
	_ resource.Resource                = (*webhookEndpointResource)(nil)
	_ resource.ResourceWithConfigure   = (*webhookEndpointResource)(nil)
	_ resource.ResourceWithImportState = (*webhookEndpointResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*webhookEndpointResource)(nil)
	_ resource.ResourceWithIdentity    = (*webhookEndpointResource)(nil)
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
				MarkdownDescription: "The API's subscription id of each event, keyed by the event's canonical spelling: the canonical entity and the catalogue's verb " +
					"(`meeting/scheduled` for `appointment/scheduled`, `client/created` for `lead/create`), whatever spelling `events`, an import or a refresh has, " +
					"so that a key never changes while its subscription stays. To look an id up by the spelling you wrote, use the `canonical_event` function " +
					"(Terraform 1.8 and later, OpenTofu 1.7 and later): `subscription_ids[provider::vcita::canonical_event(\"appointment/scheduled\")]`. " +
					"A change of `events` keeps the ids of the events it keeps known in the plan; only an added event's id is known after apply.",
				Computed:    true,
				ElementType: types.StringType,
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
	resp.Diagnostics.Append(claimPlannedURL(ctx, r.data, claimEndpoint, plan.BusinessID, plan.TargetURL.ValueString(), "", req, resp)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(planSubscriptionIDs(ctx, req, resp, plan)...)
	if eventsKnown {
		resp.Diagnostics.Append(r.removalWarning(ctx, req, plan, events)...)
	}
}

// planSubscriptionIDs plans subscription_ids once the events are known: one
// entry per planned event, under its canonical spelling, holding the state's
// id for each event the endpoint keeps and unknown only for each it adds.
// The framework marks every computed attribute unknown as soon as the
// configuration differs from the state in any way (a respelling of the
// events included), which would show every id, and whatever depends on
// one, as changing. A new endpoint, or one that moves to another URL or
// business (a replacement), keeps no id.
func planSubscriptionIDs(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan webhookEndpointModel) diag.Diagnostics {
	events, known := knownStrings(plan.Events)
	if !plan.SubscriptionIDs.IsUnknown() || !known {
		return nil
	}
	kept := endpointSubscriptions{}
	if !req.State.Raw.IsNull() {
		var state webhookEndpointModel
		if diags := req.State.Get(ctx, &state); diags.HasError() {
			return diags
		}
		if plan.TargetURL.Equal(state.TargetURL) && plan.BusinessID.Equal(state.BusinessID) {
			kept = state.subscriptions()
		}
	}
	ids := make(map[string]attr.Value, len(events))
	for _, event := range events {
		id := types.StringUnknown()
		if sub, ok := kept[eventKey(event)]; ok {
			id = types.StringValue(sub.ID)
		}
		ids[canonicalEvent(event)] = id
	}
	return resp.Plan.SetAttribute(ctx, path.Root("subscription_ids"), types.MapValueMust(types.StringType, ids))
}

// removalWarning names each subscription of the URL that the endpoint did
// not make and whose event is not in events, and says which apply removes
// it. Such a subscription may belong to a vcita_webhook_subscription or
// another configuration, which would put it back on its next apply: the
// warning shows the conflict before it starts.
//
// When the endpoint is created (a null prior state: new, tainted, or the
// second plan of a replacement) or replaced into another business or URL
// (the first plan of that replacement, whose warnings Terraform shows; it
// drops those of the second), these are the subscriptions listed on the URL
// now, and the create leaves them: the plan that follows shows them, and its
// apply removes them. On an update, they are the ones a refresh found on the
// URL, and this apply removes them. A subscription listed without an event
// is warned about apart: nothing can remove it.
func (r *webhookEndpointResource) removalWarning(ctx context.Context, req resource.ModifyPlanRequest, plan webhookEndpointModel, events []string) diag.Diagnostics {
	wanted := make(map[string]bool, len(events))
	for _, event := range events {
		wanted[eventKey(event)] = true
	}
	targetURL := plan.TargetURL.ValueString()
	var state webhookEndpointModel
	if !req.State.Raw.IsNull() {
		if diags := req.State.Get(ctx, &state); diags.HasError() {
			return diags
		}
	}
	creating := req.State.Raw.IsNull() || !plan.BusinessID.Equal(state.BusinessID) || !plan.TargetURL.Equal(state.TargetURL)
	var found endpointSubscriptions
	var diags diag.Diagnostics
	if creating {
		if !r.data.configured() {
			return nil // nothing can be listed before the provider is configured
		}
		subs, err := r.data.client.ListSubscriptions(ctx, recordedScope(plan.BusinessID))
		if err != nil {
			return diag.Diagnostics{apiErrorDiagnostic("list the subscriptions of "+vcita.RedactedURL(targetURL), err)}
		}
		found = endpointFromSubscriptions(subs, targetURL, nil)
		diags = unnamedSubscriptionsWarning(subs, targetURL)
	} else {
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
	when := "The endpoint owns every subscription of its URL, so applying this plan unsubscribes them."
	if creating {
		when = "Creating the endpoint leaves them as they are. If this plan replaces an endpoint of the URL (a tainted one, or terraform apply -replace), " +
			"destroying the old one unsubscribes those the old one recorded. Any other is shown in the events of the next plan after this apply, and the apply of that plan unsubscribes it: " +
			"the endpoint owns every subscription of its URL."
	}
	diags.AddAttributeWarning(path.Root("events"), "Webhook Endpoint Removes Subscriptions It Did Not Make",
		fmt.Sprintf("vcita has these subscriptions of %s%s, which this endpoint did not make and whose events are not in its events:\n\n%s\n\n"+
			"%s If they were made by hand and are not wanted, nothing needs doing. "+
			"To keep one, add its event to events. If a vcita_webhook_subscription or another configuration manages it, the two will undo each other on every apply: "+
			"manage each URL with one endpoint only, and move the other's events into it.",
			vcita.RedactedURL(targetURL), inScope(plan.BusinessID), strings.Join(removed, "\n"), when))
	return diags
}

// inScope names a recorded business in a sentence: " in business X", or ""
// for the token's own scope.
func inScope(business types.String) string {
	if business.IsNull() || business.ValueString() == "" {
		return ""
	}
	return " in business " + business.ValueString()
}

// Create subscribes the events the URL is missing and adopts those already
// there, except those a failed delete of this apply keeps: then it sends
// nothing (see leftByDeleteDiagnostic). It removes nothing: what it does not want stays for the next plan
// to show and its apply to remove (the plan that led here may not have seen
// it, and Terraform gives a create no way to know what its plan showed).
// When a call fails, it undoes what it made itself (rollBackCreate) and
// records only what it could not undo, so that no tainted object is left to
// replace, and the next apply subscribes only what is missing.
func (r *webhookEndpointResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookEndpointModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withOperationBudget(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(startInstance(ctx, resp.Private)...)
	plan.BusinessID = recordedBusiness(plan.BusinessID, r.data)
	business, targetURL := recordedScope(plan.BusinessID), plan.TargetURL.ValueString()
	want, _ := knownStrings(plan.Events)

	defer r.data.urls.lockURL(business, targetURL, true)()
	if kept := r.data.urls.leftByDelete(business, targetURL, want); len(kept) > 0 {
		resp.Diagnostics.Append(leftByDeleteDiagnostic(targetURL, "create", kept)...)
		return
	}
	subs, err := client.ListSubscriptions(ctx, business)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("list the subscriptions of "+vcita.RedactedURL(targetURL), err))
		return
	}
	have := endpointFromSubscriptions(subs, targetURL, want).only(want)
	calls := endpointChanges(have, want)
	sendEndpointCalls(ctx, client, business, targetURL, calls)
	if !failedAny(calls) {
		r.record(ctx, plan, afterEndpointCalls(have, want, calls), &resp.State, resp.Identity, resp.Private, &resp.Diagnostics)
		return
	}
	undone, left := rollBackCreate(ctx, client, business, targetURL, calls)
	resp.Diagnostics.Append(endpointCallsDiagnostic(targetURL, calls, createOutcome(undone, left))...)
	if len(left) > 0 {
		// Recorded, and so tainted: Terraform replaces the endpoint next time,
		// and a destroy removes them.
		r.record(ctx, plan, madeSubscriptions(want, left), &resp.State, resp.Identity, resp.Private, &resp.Diagnostics)
		resp.Diagnostics.Append(markLeftByFailedCreate(ctx, resp.Private)...)
	}
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
	found := endpointFromSubscriptions(subs, targetURL, spellings)
	if leftByFailedCreate(ctx, req.Private) {
		// Only what a failed create made and could not undo is the
		// endpoint's: it never took over the rest of the URL, so its
		// replacement or destroy must not remove it.
		found = found.only(spellings)
	}
	current := endpointModel(state.BusinessID, targetURL, found)
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
// and the planned ones; a respelling alone sends nothing, and so does an
// update that would subscribe an event a failed delete of this apply keeps
// (see leftByDeleteDiagnostic).
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
	business, targetURL := recordedScope(plan.BusinessID), plan.TargetURL.ValueString()
	want, _ := knownStrings(plan.Events)
	have := state.subscriptions()

	defer r.data.urls.lockURL(business, targetURL, true)()
	calls := endpointChanges(have, want)
	if kept := r.data.urls.leftByDelete(business, targetURL, subscribedEvents(calls)); len(kept) > 0 {
		resp.Diagnostics.Append(leftByDeleteDiagnostic(targetURL, "update", kept)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		return
	}
	sendEndpointCalls(ctx, client, business, targetURL, calls)
	resp.Diagnostics.Append(endpointCallsDiagnostic(targetURL, calls, appliedOutcome)...)
	r.record(ctx, plan, afterEndpointCalls(have, want, calls), &resp.State, resp.Identity, resp.Private, &resp.Diagnostics)
}

// stateSetter is the part of tfsdk.State that record writes.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// record records what the endpoint has after its calls in the state, the
// identity and the private state, and in the provider's registry as held by
// this apply (see urlRegistry), so that a delete of this apply on the same
// URL leaves it alone. Call it with the URL locked.
func (r *webhookEndpointResource) record(ctx context.Context, plan webhookEndpointModel, after endpointSubscriptions,
	state stateSetter, identity *tfsdk.ResourceIdentity, private privateState, diags *diag.Diagnostics,
) {
	targetURL := plan.TargetURL.ValueString()
	r.data.urls.hold(recordedScope(plan.BusinessID), targetURL, after)
	recorded := endpointModel(plan.BusinessID, targetURL, after)
	recorded.Timeouts = plan.Timeouts
	diags.Append(state.Set(ctx, recorded)...)
	diags.Append(setIdentity(ctx, identity, recorded)...)
	diags.Append(recordAppliedEvents(ctx, private, after)...)
}

// Delete unsubscribes each event of the endpoint, every call naming its
// event, except those a create or update of this apply holds on the URL
// (a replacement with create_before_destroy, whose new object adopted
// them; a URL moved to another resource address): those are the other
// object's now. When some calls fail, the endpoint stays in the state with
// the subscriptions that are still there, and no endpoint of this apply
// adopts them (urlRegistry.keepForDelete).
func (r *webhookEndpointResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookEndpointModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withOperationBudget(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	client := requireClient(r.data, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	business, targetURL := recordedScope(state.BusinessID), state.TargetURL.ValueString()
	defer r.data.urls.lockURL(business, targetURL, true)()
	have := state.subscriptions()
	for key, sub := range have {
		if r.data.urls.holds(business, targetURL, sub.Event) {
			tflog.Info(ctx, "Another endpoint of this apply holds the subscription now; leaving it", map[string]any{"event": sub.Event, "subscription_id": sub.ID})
			delete(have, key)
		}
	}
	calls := endpointChanges(have, nil)
	sendEndpointCalls(ctx, client, business, targetURL, calls)
	failed := endpointCallsDiagnostic(targetURL, calls, appliedOutcome)
	if !failed.HasError() {
		return
	}
	for _, call := range calls {
		if call.err != nil {
			r.data.urls.keepForDelete(business, targetURL, call.event.String())
		}
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
	resp.Diagnostics.Append(startInstance(ctx, resp.Private)...)
}

// The identity of a vcita_webhook_endpoint (see resource_identity.go):
// `identity = { target_url = ..., business_id = ... }`.

// webhookEndpointIdentity is the identity of an endpoint: its target URL, in
// the business it lives in (null: the token's own scope). Both force
// replacement, so it never changes while the endpoint exists.
type webhookEndpointIdentity struct {
	TargetURL  types.String `tfsdk:"target_url"`
	BusinessID types.String `tfsdk:"business_id"`
}

func (r *webhookEndpointResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"target_url": identityschema.StringAttribute{
				Description:       "The endpoint's target URL, exactly as the API lists it (the API compares URLs as strings).",
				RequiredForImport: true,
			},
			"business_id": businessIDIdentityAttribute("the endpoint"),
		},
	}
}

// identity is the identity of the endpoint m describes.
func (m webhookEndpointModel) identity() any {
	return webhookEndpointIdentity{TargetURL: m.TargetURL, BusinessID: m.BusinessID}
}

// endpointImportID is what an import of an endpoint names: a target URL, in
// a business ("": the provider's).
type endpointImportID struct {
	BusinessID, TargetURL string
}

// requestedEndpointImport is what an import of an endpoint asks for: an
// import block's identity, or the import id (see parseEndpointImportID).
func requestedEndpointImport(ctx context.Context, req resource.ImportStateRequest) (endpointImportID, diag.Diagnostics) {
	return requestedImport[webhookEndpointIdentity](ctx, req, func(raw string) (endpointImportID, diag.Diagnostics) {
		var diags diag.Diagnostics
		business, targetURL, err := parseEndpointImportID(raw)
		if err != nil {
			diags.AddError("Invalid Import Identifier", invalidImportIDDetail(raw, err, endpointImportIDForms))
		}
		return endpointImportID{BusinessID: business, TargetURL: targetURL}, diags
	})
}

// importID reads an import block's identity as the import id it stands
// for: <business_id>:<target_url>, or <target_url> in the provider's
// business.
func (given webhookEndpointIdentity) importID() (endpointImportID, diag.Diagnostics) {
	var diags diag.Diagnostics
	targetURL := given.TargetURL.ValueString()
	if err := checkTargetURL(targetURL); err != nil {
		diags.AddAttributeError(path.Root("target_url"), "Invalid Import Identity",
			"Cannot import: the identity's target_url "+err.Error()+". "+
				"Use the endpoint's target URL exactly as the API lists it, for example identity = { target_url = \"https://example.com/hook\" }.")
	}
	diags.Append(identityBusinessDiagnostics(given.BusinessID)...)
	return endpointImportID{BusinessID: given.BusinessID.ValueString(), TargetURL: targetURL}, diags
}
