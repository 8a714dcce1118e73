package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// businessIDValidator refuses a business_id holding a control character,
// such as the line break a value read with file() keeps: it is sent as the
// X-On-Behalf-Of header, which cannot carry one, so every call would fail.
type businessIDValidator struct{}

var _ validator.String = businessIDValidator{}

func (businessIDValidator) Description(context.Context) string {
	return "must not contain control characters such as line breaks"
}

func (v businessIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (businessIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if strings.ContainsFunc(value, unicode.IsControl) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Business ID",
			fmt.Sprintf("%s %q holds a control character, such as a line break. It is sent as the X-On-Behalf-Of header, which cannot carry one. "+
				"If it is read from a file, wrap it in trimspace().", req.Path, value))
	}
}
