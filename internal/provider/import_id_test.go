package provider

import (
	"strings"
	"testing"
)

func TestParseImportID(t *testing.T) {
	tests := map[string]struct {
		in      string
		want    importID
		wantErr string
	}{
		"numeric id":             {in: "12345", want: importID{ID: "12345"}},
		"pair":                   {in: "client/created,https://example.com/hook", want: importID{Event: "client/created", TargetURL: "https://example.com/hook"}},
		"pair with URL commas":   {in: "client/created,https://example.com/hook?a=1,2", want: importID{Event: "client/created", TargetURL: "https://example.com/hook?a=1,2"}},
		"pair with URL colons":   {in: "meeting/scheduled,https://example.com:8443/h", want: importID{Event: "meeting/scheduled", TargetURL: "https://example.com:8443/h"}},
		"business and id":        {in: "biz123:12345", want: importID{BusinessID: "biz123", ID: "12345"}},
		"business and pair":      {in: "biz123:lead/created,https://example.com/h", want: importID{BusinessID: "biz123", Event: "lead/created", TargetURL: "https://example.com/h"}},
		"empty":                  {in: "", wantErr: "empty"},
		"not numeric":            {in: "abc", wantErr: "neither a numeric subscription id"},
		"empty business":         {in: ":12345", wantErr: "empty business id"},
		"business without id":    {in: "biz:", wantErr: "neither"},
		"bad event":              {in: "client,https://example.com/h", wantErr: "entity/event_type"},
		"bad URL":                {in: "client/created,example.com/h", wantErr: "target URL"},
		"missing URL":            {in: "client/created,", wantErr: "target URL"},
		"negative id":            {in: "-5", wantErr: "neither"},
		"URL with space":         {in: "client/created,https://example.com/a b", wantErr: "white space"},
		"business and bad event": {in: "biz:client,https://example.com/h", wantErr: "entity/event_type"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseImportID(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseImportID(%q) error = %v, want one containing %q", tc.in, err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "Use one of") {
					t.Errorf("the error should list the accepted forms: %v", err)
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

func FuzzParseImportID(f *testing.F) {
	for _, seed := range []string{"12345", "biz:12345", "client/created,https://x.example/h", "b:lead/created,http://127.0.0.1:1/x,y", "", ":", ",", "a:b:c,d"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := parseImportID(raw)
		if err != nil {
			return
		}
		// Exactly one form is set, and the parts rebuild the input.
		rebuilt := id.ID
		if id.ID == "" {
			if id.Event == "" || id.TargetURL == "" {
				t.Fatalf("parseImportID(%q) = %+v: neither an id nor a pair", raw, id)
			}
			rebuilt = id.Event + "," + id.TargetURL
		} else if id.Event != "" || id.TargetURL != "" {
			t.Fatalf("parseImportID(%q) = %+v: both an id and a pair", raw, id)
		}
		if id.BusinessID != "" {
			rebuilt = id.BusinessID + ":" + rebuilt
		}
		if rebuilt != raw {
			t.Fatalf("parseImportID(%q) = %+v, which rebuilds as %q", raw, id, rebuilt)
		}
	})
}
