package vcita

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// APIError is an answer of the API with a status outside 2xx.
type APIError struct {
	// Op is the call that failed: "subscribe", "unsubscribe" or "list".
	Op string
	// StatusCode is the HTTP status of the last answer.
	StatusCode int
	// Message is the API's own words (its "message" or "response" field, or
	// a short, sanitised snippet of a body that is not the documented JSON).
	Message string
	// Attempts is how many requests were sent before giving up.
	Attempts int
}

func (e *APIError) Error() string {
	status := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message == "" {
		return fmt.Sprintf("vcita %s call answered %s", e.Op, strings.TrimSpace(status))
	}
	return fmt.Sprintf("vcita %s call answered %s: %s", e.Op, strings.TrimSpace(status), e.Message)
}

// DecodeError is a successful status whose body is not an answer the client
// understands (an HTML page from a proxy, an empty or truncated body). The
// client never treats such an answer as success.
type DecodeError struct {
	Op         string
	StatusCode int
	// Problem says what is wrong with a JSON body, or is "".
	Problem string
	// Snippet is a short, sanitised excerpt of the body.
	Snippet string
}

func (e *DecodeError) Error() string {
	text := fmt.Sprintf("vcita %s call answered %d with a body that is not the documented JSON", e.Op, e.StatusCode)
	if e.Problem != "" {
		text += " (" + e.Problem + ")"
	}
	switch {
	case e.Snippet != "":
		text += ": " + e.Snippet
	case e.Problem == "":
		text += ": (empty body)"
	}
	return text
}

// RedirectError is a 3xx answer. The client never follows a redirect: the
// request would carry the token and the business to wherever it points, in
// clear text if it points at http, and a 301 or 302 turns the POST of an
// unsubscribe into a GET that removes nothing. It is not retried.
type RedirectError struct {
	Op         string
	StatusCode int
	// Target is the redirect's scheme://host, or "" when the answer had no
	// usable Location.
	Target string
}

func (e *RedirectError) Error() string {
	to := "without a Location"
	if e.Target != "" {
		to = "to " + e.Target
	}
	return fmt.Sprintf("vcita %s call answered %d %s, a redirect %s, which the client does not follow",
		e.Op, e.StatusCode, http.StatusText(e.StatusCode), to)
}

// IsRedirect reports whether the API answered with a redirect.
func IsRedirect(err error) bool {
	var redirect *RedirectError
	return errors.As(err, &redirect)
}

// HeaderError is a value that cannot be sent in an HTTP header, because it
// holds a control character (a line break, say). Nothing is sent.
type HeaderError struct {
	// Header is the header's name; Setting the setting the value came from.
	Header, Setting string
	// Value is the value, quoted, or "" when it must not be shown (the token).
	Value string
}

func (e *HeaderError) Error() string {
	value := ""
	if e.Value != "" {
		value = " " + strconv.Quote(e.Value)
	}
	return fmt.Sprintf("the %s%s holds a control character (a line break?), so it cannot be sent in the %s header", e.Setting, value, e.Header)
}

// IsInvalidHeader reports whether a value could not be sent as a header.
func IsInvalidHeader(err error) bool {
	var headerErr *HeaderError
	return errors.As(err, &headerErr)
}

// validHeaderValue reports whether value can be sent as a header value: no
// control character but the tab, as net/http requires. (The provider's plan-
// time check of business ids is stricter on purpose: a tab or any Unicode
// control character in a business id is a mistake, even where a header could
// carry it.)
func validHeaderValue(value string) bool {
	return !strings.ContainsFunc(value, func(r rune) bool { return r != '\t' && (r < ' ' || r == 0x7f) })
}

// IsHostNotFound reports whether the base URL's host does not exist in DNS
// (not a DNS server that failed to answer, which may pass): retrying
// cannot help.
func IsHostNotFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// IsCertificateError reports whether the server's TLS certificate could not
// be verified (an unknown authority, another host's certificate, an
// expired one): retrying cannot help, and the token must not go there.
func IsCertificateError(err error) bool {
	var verifyErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verifyErr) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// RequestError is a request that got no answer: the connection failed, was
// dropped, or the per-request timeout expired, on every attempt; or it
// failed in a way no retry can mend (IsHostNotFound, IsCertificateError),
// at the first.
type RequestError struct {
	Op       string
	Attempts int
	Err      error
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("vcita %s call failed after %d attempt(s): %s", e.Op, e.Attempts, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

func statusOf(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// IsNotFound reports whether the API answered 404: the path does not exist
// (a wrong base URL) or the object is gone.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsConflict reports whether the API refused a subscribe because the same
// event and target URL are already subscribed (422, "Webhook already exists").
func IsConflict(err error) bool {
	status := statusOf(err)
	return status == http.StatusUnprocessableEntity || status == http.StatusConflict
}

// IsUnauthorized reports whether the API rejected the credentials (401/403).
func IsUnauthorized(err error) bool {
	status := statusOf(err)
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}

// IsBadRequest reports whether the API rejected the request's parameters (400).
func IsBadRequest(err error) bool { return statusOf(err) == http.StatusBadRequest }

// IsRefused reports whether the API refused the call with a 500, which is how
// it answers any business-rule refusal ("Not Subscribed").
func IsRefused(err error) bool { return statusOf(err) == http.StatusInternalServerError }

// IsRateLimited reports whether the API was still answering 429 when the
// retries ran out, or had asked the client to slow down for longer than the
// call's budget had left.
func IsRateLimited(err error) bool {
	var throttled *ThrottledError
	return statusOf(err) == http.StatusTooManyRequests || errors.As(err, &throttled)
}

// ThrottledError is a call never sent because the API had asked the client
// (for another call) to slow down until after the call's time budget ends.
type ThrottledError struct {
	Op string
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("vcita %s call not sent: the API asked the provider to slow down for longer than the operation's time budget had left", e.Op)
}

// IsUnavailable reports whether the API was still answering 502, 503 or 504
// when the retries ran out.
func IsUnavailable(err error) bool {
	switch statusOf(err) {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// IsTimeout reports whether the call ran out of time on every attempt.
func IsTimeout(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	var reqErr *RequestError
	return errors.As(err, &reqErr) && errors.Is(reqErr.Err, context.DeadlineExceeded)
}

// IsDecode reports whether the API answered with a body the client could not
// understand.
func IsDecode(err error) bool {
	var decodeErr *DecodeError
	return errors.As(err, &decodeErr)
}
