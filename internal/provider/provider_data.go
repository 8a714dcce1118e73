package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// The helpers below are how every resource and data source reaches what the
// provider's Configure handed out (providerData, in provider.go).

// configuredData unpacks what the provider's Configure handed out.
func configuredData(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil // the provider is not configured yet (validation)
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			"The provider's configuration reached this resource or data source in an unexpected form. Please report this to the provider developers.")
		return nil
	}
	return data
}

// configured reports whether the provider's configuration is known, so that
// its client and businessID can be used. It is false before Configure has
// run (validation) and while a value is unknown (see Configure).
func (d *providerData) configured() bool {
	return d != nil && d.client != nil
}

// requireClient returns the API client, or explains why there is none.
func requireClient(data *providerData, diags *diag.Diagnostics) *vcita.Client {
	if data.configured() {
		return data.client
	}
	diags.AddError("vcita Provider Not Configured",
		"The vcita provider's configuration has values that are not known yet (for example a token produced by another resource), "+
			"so it cannot call the API in this run. Apply the resources it depends on first (terraform apply -target=...), then run again.")
	return nil
}

// businessFor returns the scope to act in: the object's own business_id,
// else the provider's.
func businessFor(own types.String, data *providerData) string {
	if !own.IsNull() && !own.IsUnknown() {
		return own.ValueString()
	}
	if data == nil {
		return ""
	}
	return data.businessID
}

// businessValue is a business as an attribute value: null for the token's
// own scope ("").
func businessValue(business string) types.String {
	if business == "" {
		return types.StringNull()
	}
	return types.StringValue(business)
}

// importScope is the business an import acts in, and records: the one its
// identifier or identity names, else the provider's ("" for the token's own
// scope).
func importScope(named string, data *providerData) string {
	return businessFor(businessValue(named), data)
}

// recordedScope is the scope to act in for a managed object whose
// business_id is recorded (in its state, or in a plan after Create recorded
// it): that business, and for null the token's own scope, never the
// provider's business of the moment. After the provider's business_id
// changes, an object must still be read, updated and deleted where it was
// made.
func recordedScope(business types.String) string {
	return business.ValueString()
}

// recordedBusiness is the business_id a managed resource records: its own
// when it sets one, else the provider's, null (the token's own scope) when
// neither has one. Create records it when the plan could not (the provider's
// business was not known yet), and an import when its identifier names none.
// From then on Read and Delete act in the recorded business only, never in
// the provider's business of the moment.
func recordedBusiness(own types.String, data *providerData) types.String {
	if !own.IsNull() && !own.IsUnknown() {
		return own
	}
	return businessValue(businessFor(own, data))
}

// planInheritedBusiness plans the business_id of a resource that does not
// set its own (planned is its value in the plan): the provider's. An object
// made in another business than the provider's now is replaced, deleting it
// where it is, rather than looked for in the wrong business and left behind.
// Every managed resource that records its business calls it from ModifyPlan.
func planInheritedBusiness(ctx context.Context, data *providerData, planned types.String, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !data.configured() {
		return // keep what the state says until the provider's business is known
	}
	inherited := businessValue(data.businessID)
	if planned.Equal(inherited) {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("business_id"), inherited)...)
	if !req.State.Raw.IsNull() {
		resp.RequiresReplace.Append(path.Root("business_id"))
	}
}
