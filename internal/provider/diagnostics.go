package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// apiErrorDiagnostic turns a client error into a diagnostic that says what
// happened, what to do next, and what the API itself said. action is what
// the provider was doing, in words ("create the webhook subscription").
func apiErrorDiagnostic(action string, err error) diag.Diagnostic {
	summary, advice := explainAPIError(err)
	return newAPIErrorDiagnostic(summary, action, advice, err)
}

// subscribeErrorDiagnostic is apiErrorDiagnostic for a failed subscribe of
// targetURL to event (as the user wrote it). An event outside the catalogue
// can only have been sent because the provider's allow_unknown_events is
// true, so when the API refuses it, the likeliest cause comes first: the API
// does not know the event either.
func subscribeErrorDiagnostic(event, targetURL string, err error) diag.Diagnostic {
	summary, advice := explainAPIError(err)
	if _, known := catalog.CatalogueSpelling(event); !known && refusedCall(err) == "subscribe" {
		lead := fmt.Sprintf("%q is not in the provider's event catalogue, and was sent only because allow_unknown_events is true: "+
			"most likely the API does not know it either. Check its spelling against vcita's documentation.", event)
		advice = lead + didYouMean(catalog.Suggest(event, 3)) + " Otherwise: " + advice
	}
	return newAPIErrorDiagnostic(summary, fmt.Sprintf("subscribe %s to %s", vcita.RedactedURL(targetURL), event), advice, err)
}

func newAPIErrorDiagnostic(summary, action, advice string, err error) diag.Diagnostic {
	detail := fmt.Sprintf("Could not %s. %s\n\n%s", action, advice, apiWords(err))
	return diag.NewErrorDiagnostic(summary, detail)
}

// explainAPIError returns a Title Case summary and the advice for err.
func explainAPIError(err error) (summary, advice string) {
	var unresolved *vcita.UnresolvedSubscribeError
	switch {
	case errors.Is(err, context.Canceled):
		return "Operation Cancelled", "The operation was cancelled before the vcita API answered."
	case errors.As(err, &unresolved):
		return "Subscription Outcome Unknown",
			"The subscribe call got no clear answer, and the list that would show whether it went through could not be read either. " +
				"The subscription may exist on vcita without being in the Terraform state. Run terraform apply again: " +
				"if it then reports that the subscription already exists, import it with the command it shows."
	case errors.Is(err, vcita.ErrUnsafeUnsubscribe):
		return "Unsubscribe Refused Without An Event",
			"The state does not name this subscription's event as entity/event_type, and vcita removes every subscription of the target URL " +
				"when an unsubscribe names no event, so nothing was sent. Remove the resource from the state (terraform state rm), " +
				"then delete the subscription in vcita if it must go."
	case vcita.IsUnauthorized(err):
		return "vcita Rejected The Credentials",
			"Check the provider's token (or the VCITA_API_TOKEN environment variable): it may be wrong, expired or revoked. " +
				"A directory token acting for one business also needs business_id (VCITA_BUSINESS_ID) to name a business it may act for."
	case vcita.IsRedirect(err):
		return "vcita API Answered With A Redirect",
			"The provider never follows a redirect: it would send the token and the business to wherever the redirect points (in clear text, if that is http), " +
				"and could turn an unsubscribe into a request that removes nothing. base_url (or VCITA_BASE_URL) must be the API's own address: " +
				"leave it unset to use https://api.vcita.biz, or, if you trust the address the redirect names below, set base_url to it."
	case vcita.IsNotFound(err):
		return "vcita API Path Not Found",
			"The API answered 404 for its own path, so base_url (or VCITA_BASE_URL) most likely does not point at the vcita API. " +
				"Leave it unset to use https://api.vcita.biz."
	case vcita.IsConflict(err):
		return "Webhook Subscription Already Exists", "The same event and target URL are already subscribed."
	case vcita.IsBadRequest(err):
		return "vcita Rejected The Request",
			"The API found the event or the target URL malformed. Check both against the vcita_webhook_events data source and the URL you expect."
	case vcita.IsRefused(err):
		return explainRefusal(refusedCall(err))
	case vcita.IsRateLimited(err):
		return "vcita Rate Limit Exhausted",
			"The API kept answering 429 Too Many Requests, or asked the provider to wait, for the whole of the operation's time budget (two minutes, or the resource's timeouts block; or once, with max_retries = 0, which turns retries off). " +
				"Run again later, reduce Terraform's -parallelism, or give the operation more time in the resource's timeouts block."
	case vcita.IsUnavailable(err):
		return "vcita API Unavailable",
			"The API kept answering with a gateway or availability error after every retry: a 503 is retried until the operation's time budget ends (two minutes, or the resource's timeouts block), a 502 or 504 max_retries times (max_retries = 0 retries neither). " +
				"Try again later; raise max_retries to ride out longer gateway outages."
	case vcita.IsHostNotFound(err):
		return "vcita API Host Not Found",
			"The host of base_url (or VCITA_BASE_URL) does not exist in DNS, so nothing was sent, and retrying would not help. " +
				"Check how base_url is spelt, or leave it unset to use https://api.vcita.biz."
	case vcita.IsCertificateError(err):
		return "vcita API Certificate Not Trusted",
			"The server at base_url presented a TLS certificate this machine cannot verify (an unknown authority, another host's name, or an expired certificate), " +
				"so the token was not sent to it, and retrying would not help. Check base_url; behind a proxy that inspects TLS, " +
				"add the proxy's certificate authority to the system's trust store (or point SSL_CERT_FILE at it)."
	case vcita.IsInvalidHeader(err):
		return "Invalid Header Value",
			"A setting sent as an HTTP header holds a control character, such as a line break, so nothing was sent. " +
				"Check business_id (or VCITA_BUSINESS_ID) and the token for a stray line break, for example from a file read with file() (use trimspace())."
	case errors.Is(err, context.DeadlineExceeded) && !errors.As(err, new(*vcita.RequestError)):
		// The operation's deadline, not an attempt's request_timeout.
		return "Operation Timed Out",
			"The operation's time budget (two minutes, or the resource's timeouts block) ran out before the vcita API answered. " +
				"Give the operation more time in the resource's timeouts block, or check the network path to base_url."
	case vcita.IsTimeout(err):
		return "vcita API Timed Out",
			"No answer came within request_timeout (VCITA_REQUEST_TIMEOUT) on any attempt. Check the network path to base_url, or raise request_timeout."
	case vcita.IsDecode(err):
		return "Unexpected Answer From The vcita API",
			"The answer was not the JSON the API documents: an error page of a proxy or gateway, or a truncated answer. " +
				"Check that base_url points at the vcita API, and try again."
	case errors.Is(err, vcita.ErrNotListed):
		return "Subscription Not Listed",
			"The API accepted the subscription without giving its id and did not list it afterwards, so Terraform did not record it. " +
				"Wait a moment and run Terraform again: the refresh finds it once the API lists it (a vcita_webhook_endpoint adopts it; " +
				"a vcita_webhook_subscription meets it as already existing, with the import command to use)."
	}
	var reqErr *vcita.RequestError
	if errors.As(err, &reqErr) {
		return "Cannot Reach The vcita API",
			"Every attempt failed before an answer came. Check base_url and the network path to it."
	}
	return "vcita API Error", "The call failed."
}

// refusedCall returns the call the API answered with a 500 ("subscribe",
// "unsubscribe" or "list", as vcita.APIError names them), or "" when err is
// not such an answer. A subscribe lists before it writes (and after an
// unclear answer), so its 500 may well be a list's.
func refusedCall(err error) string {
	var apiErr *vcita.APIError
	if !vcita.IsRefused(err) || !errors.As(err, &apiErr) {
		return ""
	}
	return apiErr.Op
}

// explainRefusal explains a 500, the API's answer to anything it will not
// or cannot do, by the call it answered: only a subscribe can be refused
// for its event or its target URL.
func explainRefusal(call string) (summary, advice string) {
	switch call {
	case "subscribe":
		return "vcita Refused The Subscription",
			"The API answered 500, which is how it refuses a subscription it will not make. " +
				"The likely causes: the event is not enabled for this account or business, or the target URL cannot be reached from vcita (it must be public). " +
				"It may also be a passing fault of the service; if nothing above applies, try again later."
	case "unsubscribe":
		return "vcita Refused The Unsubscribe",
			"The API answered 500 to the unsubscribe call, and the subscription was not seen to go away, so Terraform keeps it in the state. " +
				"The call named this subscription's event and target URL, so nothing else was removed. " +
				"This is most likely a passing fault of the service: run Terraform again later."
	}
	return "vcita Could Not List The Subscriptions",
		"The API answered 500 to the call that lists the subscriptions (the provider reads the list to refresh, to import, before each subscribe, and after an unclear answer to one). " +
			"That call only reads, so this is a fault of the service rather than of the configuration. Try again later."
}

// apiWords quotes the client's account of the failure, which carries the
// API's own message (never the token: the client redacts it).
func apiWords(err error) string {
	return "Details: " + err.Error()
}
