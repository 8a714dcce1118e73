package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The identity of a vcita_webhook_subscription (see resource_identity.go):
// `identity = { id = ..., business_id = ... }`.

var _ resource.ResourceWithIdentity = (*webhookSubscriptionResource)(nil)

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
