package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestProviderDataConfigured(t *testing.T) {
	client, err := vcita.New(vcita.Config{BaseURL: vcita.DefaultBaseURL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data *providerData
		want bool
	}{
		{"before Configure", nil, false},
		{"configuration not known yet", &providerData{businessID: "from-env"}, false},
		{"configured", &providerData{client: client}, true},
	} {
		if got := tc.data.configured(); got != tc.want {
			t.Errorf("%s: configured() = %v, want %v", tc.name, got, tc.want)
		}
		var diags diag.Diagnostics
		if got := requireClient(tc.data, &diags); (got != nil) != tc.want || diags.HasError() == tc.want {
			t.Errorf("%s: requireClient = %v, %v", tc.name, got, diags)
		}
	}
}
