package provider

import (
	"strings"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestParseImportID(t *testing.T) {
	tests := map[string]struct {
		in      string
		want    importID
		wantErr string
	}{
		"numeric id":                {in: "12345", want: importID{ID: "12345"}},
		"id with leading zeros":     {in: "0091", want: importID{ID: "91"}},
		"id zero":                   {in: "000", want: importID{ID: "0"}},
		"pair":                      {in: "client/created,https://example.com/hook", want: importID{Event: "client/created", TargetURL: "https://example.com/hook"}},
		"pair with URL commas":      {in: "client/created,https://example.com/hook?a=1,2", want: importID{Event: "client/created", TargetURL: "https://example.com/hook?a=1,2"}},
		"pair with URL colons":      {in: "meeting/scheduled,https://example.com:8443/h", want: importID{Event: "meeting/scheduled", TargetURL: "https://example.com:8443/h"}},
		"event in upper case":       {in: "Client/Created,https://example.com/H", want: importID{Event: "client/created", TargetURL: "https://example.com/H"}},
		"listed form in upper case": {in: "CLIENT/CREATE,https://example.com/h", want: importID{Event: "client/create", TargetURL: "https://example.com/h"}},
		"unknown event keeps case":  {in: "Spaceship/Launched,https://example.com/h", want: importID{Event: "Spaceship/Launched", TargetURL: "https://example.com/h"}},
		"business and id":           {in: "biz123:12345", want: importID{BusinessID: "biz123", ID: "12345"}},
		"business and zeros":        {in: "Biz:007", want: importID{BusinessID: "Biz", ID: "7"}},
		"business and pair":         {in: "biz123:lead/created,https://example.com/h", want: importID{BusinessID: "biz123", Event: "lead/created", TargetURL: "https://example.com/h"}},
		"empty":                     {in: "", wantErr: "the identifier is empty"},
		"not numeric":               {in: "garbage", wantErr: "it is neither a numeric subscription id nor an <event>,<target_url> pair"},
		"empty business":            {in: ":12345", wantErr: "it has an empty business id before the colon"},
		"business without id":       {in: "biz:", wantErr: "neither"},
		"bad event":                 {in: "client,https://example.com/h", wantErr: `"client" is not of the form entity/event_type`},
		"event with a space":        {in: " client/created,https://example.com/h", wantErr: "white space before or after the event"},
		"bad URL":                   {in: "client/created,example.com/h", wantErr: `its target URL "example.com/h" must be an absolute URL`},
		"missing URL":               {in: "client/created,", wantErr: "its target URL"},
		"negative id":               {in: "-5", wantErr: "neither"},
		"URL with space":            {in: "client/created,https://example.com/a b", wantErr: "white space"},
		"business and bad event":    {in: "biz:client,https://example.com/h", wantErr: "entity/event_type"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseImportID(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseImportID(%q) error = %v, want one containing %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseImportID(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("parseImportID(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

// The diagnostic reads as one sentence: what could not be imported, why,
// and the forms that can.
func TestInvalidImportIDDetail(t *testing.T) {
	_, err := parseImportID("garbage")
	got := invalidImportIDDetail("garbage", err, importIDForms)
	want := `Cannot import "garbage": it is neither a numeric subscription id nor an <event>,<target_url> pair. Use one of: the numeric subscription id (12345);`
	if !strings.HasPrefix(got, want) {
		t.Errorf("detail = %q, want it to start with %q", got, want)
	}
}

func TestImportNotFoundDetail(t *testing.T) {
	listed := []vcita.Subscription{{ID: "1001", Entity: "client", EventType: "create", TargetURL: "https://h.example.com/Hook/"}}
	byID := importID{ID: "91"}
	byPair := importID{Event: "client/created", TargetURL: "https://h.example.com/hook"}
	tests := map[string]struct {
		id               importID
		business         string
		providerBusiness string
		says             []string
	}{
		"token's own scope": {byID, "", "", []string{
			"No subscription with id 91 is listed in the token's own scope (the identifier has no <business_id>: prefix, and the provider has no business_id).",
			"If it belongs to a business, import it with that business's id in front: '<business_id>:91'.",
		}},
		"provider's business": {byID, "b2", "b2", []string{
			`No subscription with id 91 is listed in business "b2" (the provider's business_id, or VCITA_BUSINESS_ID).`,
			"If it belongs to another business, import it with that business's id in front: '<business_id>:91'.",
		}},
		"prefixed business": {importID{BusinessID: "b1", ID: "91"}, "b1", "b2", []string{
			`No subscription with id 91 is listed in business "b1" (the <business_id>: prefix of the identifier).`,
			`vcita_webhook_subscriptions data source with business_id = "b1"`,
		}},
		"identity without a business": {importID{ID: "99999", ByIdentity: true}, "", "", []string{
			"No subscription with id 99999 is listed in the token's own scope (the identity has no business_id, and the provider has none).",
			"If it belongs to a business, set business_id in the import block's identity to that business's id.",
		}},
		"identity with a business": {importID{BusinessID: "b1", ID: "99999", ByIdentity: true}, "b1", "", []string{
			`No subscription with id 99999 is listed in business "b1" (the identity's business_id).`,
			"Check the identity and the business",
		}},
		"pair": {byPair, "", "", []string{
			"No subscription of https://h.example.com/hook to client/created, or to another spelling of that event, is listed in the token's own scope",
			"'<business_id>:client/created,https://h.example.com/hook'",
			"The API does list https://h.example.com/Hook/ for that event, which differs only in case or a trailing slash",
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := importNotFoundDetail(tc.id, tc.business, tc.providerBusiness, listed)
			for _, want := range tc.says {
				if !strings.Contains(got, want) {
					t.Errorf("detail %q does not say %q", got, want)
				}
			}
		})
	}
	if got := importNotFoundDetail(importID{ID: "99999", ByIdentity: true}, "", "", listed); strings.Contains(got, "<business_id>:") || strings.Contains(got, "prefix") {
		t.Errorf("an identity import is told to use an import id: %q", got)
	}
	if got := importNotFoundDetail(importID{Event: "client/updated", TargetURL: "https://h.example.com/hook"}, "", "", listed); strings.Contains(got, "does list") {
		t.Errorf("a URL of another event is no hint: %q", got)
	}
}

func FuzzParseImportID(f *testing.F) {
	for _, seed := range []string{"12345", "biz:0012345", "client/created,https://x.example/h", "Client/Created,https://x.example/h", "b:lead/created,http://127.0.0.1:1/x,y", "", ":", ",", "a:b:c,d", "000"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := parseImportID(raw)
		if err != nil {
			return
		}
		// Exactly one form is set.
		rebuilt := id.ID
		if id.ID == "" {
			if id.Event == "" || id.TargetURL == "" {
				t.Fatalf("parseImportID(%q) = %+v: neither an id nor a pair", raw, id)
			}
			rebuilt = id.Event + "," + id.TargetURL
		} else if id.Event != "" || id.TargetURL != "" {
			t.Fatalf("parseImportID(%q) = %+v: both an id and a pair", raw, id)
		}
		prefix := ""
		if id.BusinessID != "" {
			prefix = id.BusinessID + ":"
		}
		rebuilt = prefix + rebuilt
		// Normalising is idempotent, and changes only the leading zeros of
		// an id or the case of an event: never the business or the URL.
		if again, err := parseImportID(rebuilt); err != nil || again != id {
			t.Fatalf("parseImportID(%q) = %+v, which rebuilds as %q and parses as %+v, %v", raw, id, rebuilt, again, err)
		}
		rest, ok := strings.CutPrefix(raw, prefix)
		switch {
		case !ok:
			t.Fatalf("parseImportID(%q) changed the business: %+v", raw, id)
		case id.ID != "" && withoutLeadingZeros(rest) != id.ID:
			t.Fatalf("parseImportID(%q) = %+v: the id is not the input without leading zeros", raw, id)
		case id.ID == "" && (!strings.HasSuffix(rest, ","+id.TargetURL) || !strings.EqualFold(strings.TrimSuffix(rest, ","+id.TargetURL), id.Event)):
			t.Fatalf("parseImportID(%q) = %+v: more than the case of the event changed", raw, id)
		}
	})
}
