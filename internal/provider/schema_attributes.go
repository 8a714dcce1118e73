package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Attributes that every managed resource carries alike, defined once.

// targetURLAttribute is the target_url of a managed resource: validated,
// stored exactly as written, and a change forces replacement.
func targetURLAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: targetURLDescription + " Changing it forces replacement.",
		Required:            true,
		Validators:          []validator.String{targetURLValidator{}},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// businessIDValidators check a business_id that a resource, a data source or
// a list block may set: not empty, and no control character (see
// businessIDValidator). The provider's own business_id, which may be empty,
// takes businessIDValidator alone.
func businessIDValidators() []validator.String {
	return []validator.String{stringvalidator.LengthAtLeast(1), businessIDValidator{}}
}

// managedBusinessIDAttribute is the business_id of a managed resource that
// records the business it was made in (see planInheritedBusiness and
// recordedBusiness); object names what the resource manages.
func managedBusinessIDAttribute(object string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: managedBusinessIDDescription(object),
		Optional:            true,
		Computed:            true,
		Validators:          businessIDValidators(),
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
	}
}
