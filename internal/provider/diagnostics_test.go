package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestDiagnosticsNeverShowTheToken(t *testing.T) {
	const token = "super-secret-token"
	c, err := vcita.New(vcita.Config{BaseURL: "http://127.0.0.1:1", Token: token, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListSubscriptions(t.Context(), "")
	if err == nil {
		t.Fatal("listing from a closed port should fail")
	}
	d := apiErrorDiagnostic("read the webhook subscriptions", err)
	if d.Summary() != "Cannot Reach The vcita API" {
		t.Errorf("summary = %q", d.Summary())
	}
	if text := d.Summary() + d.Detail(); strings.Contains(text, token) {
		t.Errorf("the diagnostic leaks the token: %s", text)
	}
}

// A 500 is the API's answer to anything it will not or cannot do; the advice
// follows the call it answered, since only a subscribe can be refused for its
// event or target URL.
func TestRefusalAdviceFollowsTheCall(t *testing.T) {
	refused := func(op string) error {
		return &vcita.APIError{Op: op, StatusCode: http.StatusInternalServerError, Message: "Not Subscribed", Attempts: 1}
	}
	subscribeCauses := []string{"event is not enabled", "target URL cannot be reached"}
	tests := map[string]struct {
		err     error
		summary string
		says    []string
		never   []string
	}{
		"subscribe":   {refused("subscribe"), "vcita Refused The Subscription", subscribeCauses, nil},
		"unsubscribe": {refused("unsubscribe"), "vcita Refused The Unsubscribe", []string{"keeps it in the state", "nothing else was removed"}, subscribeCauses},
		"list":        {refused("list"), "vcita Could Not List The Subscriptions", []string{"only reads", "Try again later"}, subscribeCauses},
		"the list before a subscribe": {
			fmt.Errorf("listing the existing subscriptions before subscribing: %w", refused("list")),
			"vcita Could Not List The Subscriptions", []string{"before each subscribe"}, subscribeCauses,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d := apiErrorDiagnostic("do what was asked", tc.err)
			if d.Summary() != tc.summary {
				t.Errorf("summary = %q, want %q", d.Summary(), tc.summary)
			}
			for _, want := range append(tc.says, "Not Subscribed") {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail %q does not say %q", d.Detail(), want)
				}
			}
			for _, unwanted := range tc.never {
				if strings.Contains(d.Detail(), unwanted) {
					t.Errorf("detail %q says %q, which does not apply to this call", d.Detail(), unwanted)
				}
			}
		})
	}
}

// An event outside the catalogue reaches the API only with
// allow_unknown_events; when the API refuses it, that is said first.
func TestSubscribeErrorDiagnosticPutsAnUnknownEventFirst(t *testing.T) {
	refused := func(op string) error {
		return &vcita.APIError{Op: op, StatusCode: http.StatusInternalServerError, Message: "Not Subscribed"}
	}
	const lead = "is not in the provider's event catalogue, and was sent only because allow_unknown_events is true: most likely the API does not know it either"

	d := subscribeErrorDiagnostic("client/archivd", "https://h.example.com", refused("subscribe"))
	if want := `Could not subscribe https://h.example.com to client/archivd. "client/archivd" ` + lead; !strings.HasPrefix(d.Detail(), want) {
		t.Errorf("detail %q does not start with %q", d.Detail(), want)
	}
	if !strings.Contains(d.Detail(), "Otherwise: The API answered 500") {
		t.Errorf("detail %q lost the general advice", d.Detail())
	}
	for name, d := range map[string]diag.Diagnostic{
		"a catalogue event":             subscribeErrorDiagnostic("client/created", "https://h.example.com", refused("subscribe")),
		"the listed form of one":        subscribeErrorDiagnostic("client/create", "https://h.example.com", refused("subscribe")),
		"a refused list, not the event": subscribeErrorDiagnostic("client/archivd", "https://h.example.com", refused("list")),
	} {
		if strings.Contains(d.Detail(), "allow_unknown_events") {
			t.Errorf("%s: detail %q blames the event", name, d.Detail())
		}
	}
}

// A request that outlived its attempt's request_timeout and an operation
// that outlived its budget are told apart.
func TestTimeoutsAreToldApart(t *testing.T) {
	budget, _ := explainAPIError(context.DeadlineExceeded)
	attempt, _ := explainAPIError(&vcita.RequestError{Op: "list", Attempts: 5, Err: context.DeadlineExceeded})
	if budget != "Operation Timed Out" || attempt != "vcita API Timed Out" {
		t.Errorf("the operation's deadline gave %q and an attempt's timeout %q", budget, attempt)
	}
}
