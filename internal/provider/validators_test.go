package provider

import (
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// validate runs a string validator on value at p and returns the summary and
// detail of its one diagnostic, or empty strings when it accepts the value.
func validate(t *testing.T, v validator.String, p path.Path, value types.String) (summary, detail string) {
	t.Helper()
	resp := &validator.StringResponse{}
	v.ValidateString(t.Context(), validator.StringRequest{Path: p, ConfigValue: value}, resp)
	switch len(resp.Diagnostics) {
	case 0:
		return "", ""
	case 1:
		return resp.Diagnostics[0].Summary(), resp.Diagnostics[0].Detail()
	}
	t.Fatalf("%v: more than one diagnostic: %v", value, resp.Diagnostics)
	return "", ""
}

func TestStringValidators(t *testing.T) {
	tests := map[string]struct {
		validator   validator.String
		value       types.String
		wantSummary string // "" when the value is accepted
		wantDetail  string
	}{
		"event": {eventFormatValidator{}, types.StringValue("client/created"), "", ""},
		"event outside the catalogue has the format": {eventFormatValidator{}, types.StringValue("client/craeted"), "", ""},
		"event without a slash":                      {eventFormatValidator{}, types.StringValue("client.created"), "Invalid Event Format", "entity/event_type"},
		"event with two slashes":                     {eventFormatValidator{}, types.StringValue("a/b/c"), "Invalid Event Format", "entity/event_type"},
		"event with a trailing space":                {eventFormatValidator{}, types.StringValue("client/created "), "Invalid Event Format", `white space before or after the event: write it as "client/created"`},
		"target URL":                                 {targetURLValidator{}, types.StringValue("https://hooks.example.com/x"), "", ""},
		"relative target URL":                        {targetURLValidator{}, types.StringValue("/x"), "Invalid Target URL", "absolute URL"},
		"duration":                                   {durationValidator{}, types.StringValue("1m30s"), "", ""},
		"zero duration":                              {durationValidator{}, types.StringValue("0s"), "Invalid Duration", "longer than zero"},
		"not a duration":                             {durationValidator{}, types.StringValue("soon"), "Invalid Duration", "such as 30s"},
		"null":                                       {durationValidator{}, types.StringNull(), "", ""},
		"unknown":                                    {targetURLValidator{}, types.StringUnknown(), "", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			summary, detail := validate(t, tc.validator, path.Root("attr"), tc.value)
			if summary != tc.wantSummary || !strings.Contains(detail, tc.wantDetail) {
				t.Errorf("%v: got %q: %q, want %q with %q", tc.value, summary, detail, tc.wantSummary, tc.wantDetail)
			}
			if summary != "" && !strings.HasPrefix(detail, "attr") {
				t.Errorf("the detail should name the attribute first: %q", detail)
			}
		})
	}
}

// The validators check one value, so a set of events reuses them element by
// element, and each error points at its element.
func TestEventFormatValidatorOnEachElementOfASet(t *testing.T) {
	events := types.SetValueMust(types.StringType, []attr.Value{types.StringValue("client/created"), types.StringValue("client.updated")})
	resp := &validator.SetResponse{}
	setvalidator.ValueStringsAre(eventFormatValidator{}).ValidateSet(t.Context(),
		validator.SetRequest{Path: path.Root("events"), ConfigValue: events}, resp)
	if len(resp.Diagnostics) != 1 {
		t.Fatalf("want one error, for the malformed element: %v", resp.Diagnostics)
	}
	d, ok := resp.Diagnostics[0].(diag.DiagnosticWithPath)
	want := path.Root("events").AtSetValue(types.StringValue("client.updated"))
	if !ok || !d.Path().Equal(want) {
		t.Errorf("the error should point at %s: %v", want, resp.Diagnostics[0])
	}
}

func TestCheckTargetURL(t *testing.T) {
	for _, ok := range []string{
		"https://hooks.example.com/vcita",
		"https://hooks.example.com/vcita/",
		"http://127.0.0.1:8080/h?a=1&b=%20",
		"https://Hooks.Example.com/Path",
	} {
		if err := checkTargetURL(ok); err != nil {
			t.Errorf("checkTargetURL(%q) = %v, want nil", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"/relative":                      "absolute URL",
		"hooks.example.com/x":            "absolute URL",
		"ftp://hooks.example.com/x":      "absolute URL",
		"https:///x":                     "no host",
		" https://hooks.example.com":     "white space",
		"https://hooks.example.com/a b":  "white space",
		"https://hooks.example.com/%zz":  "not a URL",
		"HTTPS://Hooks.Example.com/Path": `must start with https:// in lower case: the API compares target URLs literally`,
		"Http://127.0.0.1/h":             "must start with http:// in lower case",
	} {
		err := checkTargetURL(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkTargetURL(%q) = %v, want an error about %q", bad, err, want)
		}
	}
}

func TestRetriesValidator(t *testing.T) {
	for value, want := range map[string]string{
		"0": "", "4": "", "20": "", "1e1": "",
		"1.5": "attr must be a whole number from 0 to 20, got 1.5.",
		"-1":  "attr must be a whole number from 0 to 20, got -1.",
		"21":  "attr must be a whole number from 0 to 20, got 21.",
	} {
		n, _, err := big.ParseFloat(value, 10, 64, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		resp := &validator.NumberResponse{}
		retriesValidator{}.ValidateNumber(t.Context(), validator.NumberRequest{Path: path.Root("attr"), ConfigValue: types.NumberValue(n)}, resp)
		switch {
		case want == "" && resp.Diagnostics.HasError():
			t.Errorf("%s: unexpected %v", value, resp.Diagnostics)
		case want != "" && (len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary() != "Invalid Max Retries" || resp.Diagnostics[0].Detail() != want):
			t.Errorf("%s: got %v, want Invalid Max Retries: %s", value, resp.Diagnostics, want)
		}
	}
	resp := &validator.NumberResponse{}
	retriesValidator{}.ValidateNumber(t.Context(), validator.NumberRequest{Path: path.Root("attr"), ConfigValue: types.NumberUnknown()}, resp)
	if resp.Diagnostics.HasError() {
		t.Errorf("an unknown value is checked once known: %v", resp.Diagnostics)
	}
}

// An event of a set is named by its set and its own value, never by the
// framework's path of a set element (events[Value("...")]).
func TestEventFormatInASetNamesTheSetAndTheEvent(t *testing.T) {
	p := path.Root("events").AtSetValue(types.StringValue(""))
	for event, want := range map[string]string{
		"":            `events: "" is not of the form entity/event_type`,
		"client/créé": `events: "client/créé" holds "é": an event's entity and event type may hold only ASCII letters, digits, _, . and -`,
	} {
		summary, detail := validate(t, eventFormatValidator{}, p.ParentPath().AtSetValue(types.StringValue(event)), types.StringValue(event))
		if summary != "Invalid Event Format" || !strings.HasPrefix(detail, want) || strings.Contains(detail, "Value(") {
			t.Errorf("%q: %s: %s; want a detail starting %s", event, summary, detail, want)
		}
	}
}

func TestEmptySetOfEventsSaysAnEndpointNeedsOne(t *testing.T) {
	resp := &validator.SetResponse{}
	atLeastOneEventValidator{}.ValidateSet(t.Context(), validator.SetRequest{Path: path.Root("events"), ConfigValue: stringSet()}, resp)
	if len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Detail(), "events is empty: an endpoint needs at least one event") {
		t.Errorf("an empty set gave %v, want one error saying an endpoint needs at least one event", resp.Diagnostics)
	}
	resp = &validator.SetResponse{}
	atLeastOneEventValidator{}.ValidateSet(t.Context(), validator.SetRequest{Path: path.Root("events"), ConfigValue: stringSet("client/created")}, resp)
	if resp.Diagnostics.HasError() {
		t.Errorf("a set of one event gave %v", resp.Diagnostics)
	}
}

// Three spellings of one event are one error that lists them all.
func TestThreeSpellingsOfOneEventAreOneError(t *testing.T) {
	resp := &validator.SetResponse{}
	set := stringSet("lead/created", "client/created", "client/create", "payment/paid")
	distinctEventsValidator{}.ValidateSet(t.Context(), validator.SetRequest{Path: path.Root("events"), ConfigValue: set}, resp)
	if len(resp.Diagnostics) != 1 {
		t.Fatalf("got %d diagnostics, want one: %v", len(resp.Diagnostics), resp.Diagnostics)
	}
	want := `events holds "client/create", "client/created" and "lead/created", three spellings of one event`
	if d := resp.Diagnostics[0]; d.Summary() != "Duplicate Webhook Event" || !strings.Contains(d.Detail(), want) {
		t.Errorf("%s: %s; want %s", d.Summary(), d.Detail(), want)
	}
}
