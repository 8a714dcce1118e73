package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later), as every managed resource
// of the provider has it: an import block may name the object by `identity
// = { ... }` instead of an import id, and `terraform query` reports each
// object it lists by its identity. Each resource's identity is one attribute
// that names the object in its business, and that business_id.

// identified is a resource's model, which knows its identity: a struct with
// the tfsdk tags of the resource's identity schema.
type identified interface {
	identity() any
}

// setIdentity records the identity of m. Terraform older than 1.12 keeps no
// identity, so every Read must set it (even one that removes the resource),
// and first, before anything can return: the framework fails a Read that
// ends without one ("Missing Resource Identity After Read").
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m identified) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, m.identity())
}

// businessIDIdentityAttribute is the business_id of an identity; object
// names what the identity is of, "the subscription".
func businessIDIdentityAttribute(object string) identityschema.StringAttribute {
	return identityschema.StringAttribute{
		Description:       "The business " + object + " lives in. Leave it out to import from the provider's business_id (or the token's own scope).",
		OptionalForImport: true,
	}
}

// importIdentity is the identity an import block gives, which stands for an
// import id of type T: the same import, named another way.
type importIdentity[T any] interface {
	importID() (T, diag.Diagnostics)
}

// requestedImport is what an import asks for: an import block's identity,
// read as an I, or else the import id, read by parseID. Both come out as the
// same T, so that each resource has one way to import whichever it is given.
func requestedImport[I importIdentity[T], T any](ctx context.Context, req resource.ImportStateRequest, parseID func(string) (T, diag.Diagnostics)) (T, diag.Diagnostics) {
	if !importsByIdentity(req) {
		return parseID(req.ID)
	}
	var given I
	diags := req.Identity.Get(ctx, &given)
	if diags.HasError() {
		var none T
		return none, diags
	}
	id, idDiags := given.importID()
	diags.Append(idDiags...)
	return id, diags
}

// importsByIdentity reports whether an import names the object by an import
// block's identity rather than by an import id.
func importsByIdentity(req resource.ImportStateRequest) bool {
	return req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull()
}

// identityBusinessDiagnostics refuses an identity's business_id that is set
// but empty: left out, it means the provider's business.
func identityBusinessDiagnostics(business types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	if !business.IsNull() && business.ValueString() == "" {
		diags.AddAttributeError(path.Root("business_id"), "Invalid Import Identity",
			"Cannot import: the identity's business_id is empty. Leave it out to import from the provider's business, or set the business UID.")
	}
	return diags
}
