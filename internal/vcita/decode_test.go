package vcita

import (
	"strings"
	"testing"
)

func testDecoder() *Client { return &Client{token: "secret-token"} }

func TestDecodeList(t *testing.T) {
	tests := map[string]struct {
		body    string
		want    []Subscription
		wantErr string // words of the error; "" for none
	}{
		"documented": {
			body: `{"response":{"success":"ok","data":{"subscriptions":[{"id":32,"entity":"client","event_type":"create","url":"https://x/h"}]}}}`,
			want: []Subscription{{ID: "32", Entity: "client", EventType: "create", TargetURL: "https://x/h"}},
		},
		"unknown fields and string id": {
			body: `{"response":{"success":"ok","extra":1,"data":{"total":1,"subscriptions":[{"id":"33","entity":"meeting","event_type":"scheduled","url":"https://x/h","created_at":"2026"}]}}}`,
			want: []Subscription{{ID: "33", Entity: "meeting", EventType: "scheduled", TargetURL: "https://x/h"}},
		},
		"without the response wrapper": {
			body: `{"data":{"subscriptions":[{"id":1,"event":"client/create","target_url":"https://x/h"}]}}`,
			want: []Subscription{{ID: "1", Entity: "client", EventType: "create", TargetURL: "https://x/h"}},
		},
		"empty":                 {body: `{"response":{"success":"ok","data":{"subscriptions":[]}}}`, want: []Subscription{}},
		"null list":             {body: `{"response":{"success":"ok","data":{"subscriptions":null}}}`, wantErr: `"subscriptions" is null`},
		"null list, no wrapper": {body: `{"data":{"subscriptions": null }}`, wantErr: `"subscriptions" is null`},
		"missing subscriptions": {body: `{"response":{"success":"ok","data":{}}}`, wantErr: `no "subscriptions" list`},
		"no data":               {body: `{"response":{"success":"ok"}}`, wantErr: `no "subscriptions" list`},
		"HTML":                  {body: `<html><body>Bad Gateway</body></html>`, wantErr: "Bad Gateway"},
		"truncated":             {body: `{"response":{"success":"ok","data":{"subscriptions":[{"id":1,`, wantErr: "not the documented JSON"},
		"empty body":            {body: ``, wantErr: "(empty body)"},
		"wrong type":            {body: `{"response":{"data":{"subscriptions":{"id":1}}}}`, wantErr: `"subscriptions" is not a list`},
	}
	for name, tc := range tests {
		got, err := testDecoder().decodeList(answer{status: 200, body: []byte(tc.body)})
		if (err != nil) != (tc.wantErr != "") || (err != nil && (!IsDecode(err) || !strings.Contains(err.Error(), tc.wantErr))) {
			t.Errorf("%s: decodeList error = %v, want an error saying %q", name, err, tc.wantErr)
			continue
		}
		if err == nil && (len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0])) {
			t.Errorf("%s: decodeList = %+v, want %+v", name, got, tc.want)
		}
	}
}

func TestDecodeSubscribe(t *testing.T) {
	tests := map[string]struct {
		body    string
		wantID  string
		wantErr bool
	}{
		"documented":             {body: `{"status":"OK","data":{"subscription_id":"12345"}}`, wantID: "12345"},
		"numeric id":             {body: `{"status":"OK","data":{"subscription_id":12345}}`, wantID: "12345"},
		"id under data.id":       {body: `{"status":"OK","data":{"id":7}}`, wantID: "7"},
		"no id":                  {body: `{"response":"Subscribed"}`},
		"plain string":           {body: `"Subscribed"`},
		"plain text":             {body: "Subscribed\n"},
		"extra fields":           {body: `{"status":"OK","data":{"subscription_id":"1","more":{}},"x":[1]}`, wantID: "1"},
		"error dressed as 200":   {body: `{"status":"Error","message":"Invalid event format"}`, wantErr: true},
		"refusal dressed as 200": {body: `{"response":"Not Subscribed"}`, wantErr: true},
		"HTML":                   {body: `<html>hi</html>`, wantErr: true},
		"empty":                  {body: ``, wantErr: true},
	}
	for name, tc := range tests {
		id, err := testDecoder().decodeSubscribe(answer{status: 201, body: []byte(tc.body)})
		if (err != nil) != tc.wantErr || id != tc.wantID {
			t.Errorf("%s: decodeSubscribe = %q, %v; want %q, wantErr %v", name, id, err, tc.wantID, tc.wantErr)
		}
	}
}

func TestDecodeUnsubscribe(t *testing.T) {
	tests := map[string]struct {
		body           string
		removedNothing bool
		wantErr        bool
	}{
		"documented":       {body: `{"status":"OK","data":{"unsubscribed":true}}`},
		"extra fields":     {body: `{"status":"ok","data":{"unsubscribed":true,"count":1},"x":[]}`},
		"nothing matched":  {body: `{"status":"OK","data":{"unsubscribed":false}}`, removedNothing: true},
		"JSON string":      {body: `"Unsubscribed"`},
		"plain text":       {body: "Unsubscribed\n"},
		"empty":            {body: "", wantErr: true},
		"white space":      {body: " \r\n\t", wantErr: true},
		"null":             {body: "null", wantErr: true},
		"empty object":     {body: "{}", wantErr: true},
		"OK without data":  {body: `{"status":"OK"}`, wantErr: true},
		"data without OK":  {body: `{"data":{"unsubscribed":true}}`, wantErr: true},
		"empty string":     {body: `""`, wantErr: true},
		"error in a 200":   {body: `{"status":"Error","message":"nope"}`, wantErr: true},
		"HTML":             {body: `<html><body>Login</body></html>`, wantErr: true},
		"other plain text": {body: `Service down`, wantErr: true},
		"refusal in a 200": {body: `{"response":"Not Unsubscribed"}`, wantErr: true},
	}
	for name, tc := range tests {
		removedNothing, err := testDecoder().decodeUnsubscribe(answer{status: 200, body: []byte(tc.body)})
		if (err != nil) != tc.wantErr || removedNothing != tc.removedNothing {
			t.Errorf("%s: decodeUnsubscribe = %v, %v; want removedNothing %v, wantErr %v", name, removedNothing, err, tc.removedNothing, tc.wantErr)
		}
	}
}

func TestErrorMessagesQuoteTheAPIAndHideTheToken(t *testing.T) {
	c := testDecoder()
	tests := map[string]struct {
		body, want string
	}{
		"message field":  {`{"status":"Error","message":"Invalid event format"}`, "Invalid event format"},
		"response field": {`{"response":"Not Subscribed"}`, "Not Subscribed"},
		"plain text":     {"upstream connect error", "upstream connect error"},
		"HTML page":      {"<html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>", "502 Bad Gateway"},
		"echoed token":   {`{"message":"token secret-token is invalid"}`, "token [redacted] is invalid"},
		"long body":      {strings.Repeat("a", 1000), strings.Repeat("a", maxSnippet) + "…"},
		"control chars":  {"bad\x00\x1b[31mred", "bad[31mred"},
		"split token":    {"secret-tok\x00en", withheldText},
		"tagged token":   {"secret-<b>token", withheldText},
	}
	for name, tc := range tests {
		err := c.apiError("subscribe", 500, []byte(tc.body), 1)
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %q does not contain %q", name, err, tc.want)
		}
		if strings.Contains(err.Error(), "secret-token") {
			t.Errorf("%s: the token leaked: %q", name, err)
		}
	}
}

// FuzzDecode feeds every decoder arbitrary bodies: none may panic, a list is
// never silently empty on a body without a subscriptions array, and the
// token never appears in an error.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"response":{"success":"ok","data":{"subscriptions":[{"id":32,"entity":"client","event_type":"create","url":"https://x"}]}}}`,
		`{"status":"OK","data":{"subscription_id":"12345"}}`,
		`{"response":"Subscribed"}`, `"Unsubscribed"`, `{"status":"OK","data":{"unsubscribed":true}}`,
		`{"status":"Error","message":"secret-token"}`, `<html>secret-token</html>`, ``, `null`, `[]`, `{"data":{"subscriptions":[{"id":1e400}]}}`,
	} {
		f.Add([]byte(seed))
	}
	c := testDecoder()
	f.Fuzz(func(t *testing.T, body []byte) {
		ans := answer{status: 200, body: body}
		subs, err := c.decodeList(ans)
		if err == nil && subs == nil {
			t.Fatalf("decodeList(%q) returned no list and no error", body)
		}
		_, subErr := c.decodeSubscribe(ans)
		_, unsubErr := c.decodeUnsubscribe(ans)
		apiErr := c.apiError("list", 500, body, 1)
		for _, e := range []error{err, subErr, unsubErr, apiErr} {
			if e != nil && strings.Contains(e.Error(), "secret-token") {
				t.Fatalf("an error leaks the token: %v", e)
			}
		}
	})
}
