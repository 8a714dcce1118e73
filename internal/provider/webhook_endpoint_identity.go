package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The identity of a vcita_webhook_endpoint (see resource_identity.go):
// `identity = { target_url = ..., business_id = ... }`.

var _ resource.ResourceWithIdentity = (*webhookEndpointResource)(nil)

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
