package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later): an import block may name a
// subscription by `identity = { id = ..., business_id = ... }` instead of an
// import id, and `terraform query` reports each subscription it lists by its
// identity.

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
			"business_id": identityschema.StringAttribute{
				Description:       "The business the subscription lives in. Leave it out to import from the provider's business_id (or the token's own scope).",
				OptionalForImport: true,
			},
		},
	}
}

// identityOf is the identity of the subscription a model describes.
func identityOf(m webhookSubscriptionModel) webhookSubscriptionIdentity {
	return webhookSubscriptionIdentity{ID: m.ID, BusinessID: m.BusinessID}
}

// setIdentity records the identity of m. Terraform older than 1.12 keeps no
// identity, so every Read must set it (even one that removes the resource):
// the framework fails a Read that ends without one.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m webhookSubscriptionModel) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, identityOf(m))
}

// requestedImport is what an import asks for: an import block's identity,
// or the import id (see parseImportID).
func requestedImport(ctx context.Context, req resource.ImportStateRequest) (importID, diag.Diagnostics) {
	if importsByIdentity(req) {
		return importIDFromIdentity(ctx, req.Identity)
	}
	id, err := parseImportID(req.ID)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Invalid Import Identifier", invalidImportIDDetail(req.ID, err))
		return importID{}, diags
	}
	return id, nil
}

// importsByIdentity reports whether an import names the subscription by an
// import block's identity rather than by an import id.
func importsByIdentity(req resource.ImportStateRequest) bool {
	return req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull()
}

// importIDFromIdentity reads an import block's identity as the import id it
// stands for: <business_id>:<id>, or <id> in the provider's business.
func importIDFromIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity) (importID, diag.Diagnostics) {
	var given webhookSubscriptionIdentity
	diags := identity.Get(ctx, &given)
	if diags.HasError() {
		return importID{}, diags
	}
	if !isSubscriptionID(given.ID.ValueString()) {
		diags.AddAttributeError(path.Root("id"), "Invalid Import Identity",
			fmt.Sprintf("Cannot import: the identity's id %q is not a subscription id. ", given.ID.ValueString())+
				"Use the numeric id that `terraform query` or the vcita_webhook_subscriptions data source shows, for example identity = { id = \"12345\" }.")
	}
	if !given.BusinessID.IsNull() && given.BusinessID.ValueString() == "" {
		diags.AddAttributeError(path.Root("business_id"), "Invalid Import Identity",
			"Cannot import: the identity's business_id is empty. Leave it out to import from the provider's business, or set the business UID.")
	}
	return importID{ID: given.ID.ValueString(), BusinessID: given.BusinessID.ValueString()}, diags
}
