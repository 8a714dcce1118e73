// Package vcita is a client for the vcita webhook API. It knows nothing of
// Terraform: it sends requests, retries what is safe to retry, decodes the
// API's several answer shapes, and shares list calls between callers.
package vcita

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://api.vcita.biz"

// Defaults of the knobs in Config.
const (
	DefaultMaxRetries     = 4
	DefaultRequestTimeout = 30 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 8 * time.Second
	// DefaultMaxRetryAfter caps a server's Retry-After: a broken or hostile
	// "Retry-After: 3600" must not hang a plan for an hour.
	DefaultMaxRetryAfter = 15 * time.Second
	// DefaultMaxElapsed is the time budget of a call whose context has no
	// deadline, and the provider's default budget of one resource
	// operation: the budget of retrying throttling, which has no count
	// limit. Two minutes ride out throttling many rate-limit windows long,
	// yet an API that stays throttled fails the apply in minutes rather
	// than hanging it.
	DefaultMaxElapsed = 2 * time.Minute
	// CleanupTimeout is the time the clean-up after a failed or
	// interrupted operation has once the operation ends: the look-up in
	// the list of what an unclear subscribe did.
	CleanupTimeout = 30 * time.Second
)

// Caps on how much of an answer is read: anything larger is not an answer
// (a runaway proxy, a gzip bomb) and is refused rather than read whole.
// A subscribe or unsubscribe answer is a few dozen bytes. A list holds every
// subscription of a scope, about 130 bytes each, so its cap of 256 MiB
// allows about two million subscriptions (the README says so). An error
// answer (any status outside 2xx) is read only up to maxErrorBodyBytes,
// plenty for the API's words, and the rest is never read: a huge error page
// must cost neither time nor memory.
const (
	maxBodyBytes      = 16 << 20
	maxListBodyBytes  = 256 << 20
	maxErrorBodyBytes = 64 << 10
)

// API paths, relative to the base URL.
const (
	pathSubscribe   = "/platform/v1/webhook/subscribe"
	pathUnsubscribe = "/platform/v1/webhook/unsubscribe"
	pathList        = "/platform/v1/webhooks"
)

// Config configures a Client. Zero values take the documented defaults.
type Config struct {
	BaseURL   string
	Token     string
	UserAgent string
	// MaxRetries is how many times a transient failure (a connection
	// error, a timeout, 502, 504) is retried. Throttling (429, 503) is
	// retried until MaxElapsed, however many attempts that takes. Zero or
	// negative means no retries at all, throttling included.
	MaxRetries int
	// RequestTimeout bounds each attempt.
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound the exponential backoff.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// MaxRetryAfter caps the wait a Retry-After header may ask for.
	MaxRetryAfter time.Duration
	// MaxElapsed bounds the total time of one call, retries and waits at
	// the back-off gate included, when its context has no deadline. A
	// context's deadline is the call's budget: the provider gives each
	// resource operation one budget, whatever calls it makes.
	MaxElapsed time.Duration
	// Transport sends the requests; nil means http.DefaultTransport. The
	// provider wraps it to log requests.
	Transport http.RoundTripper
}

// Client talks to the vcita webhook API. It is safe for concurrent use; one
// Client is shared by every resource and data source of a provider.
type Client struct {
	baseURL *url.URL
	token   string
	agent   string
	http    *http.Client
	retry   retryPolicy
	// gate holds back every request while the API asks the client to
	// slow down.
	gate  backoffGate
	lists *listCache
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("base URL %q is not an absolute URL", cfg.BaseURL)
	}
	if cfg.Token == "" {
		return nil, errors.New("an API token is required")
	}
	if !validHeaderValue(cfg.Token) {
		return nil, &HeaderError{Header: "Authorization", Setting: "API token"}
	}
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	c := &Client{
		baseURL: base,
		token:   cfg.Token,
		agent:   cfg.UserAgent,
		// Timeouts are per attempt, set on each request's context. A
		// redirect is never followed: it would carry the token and the
		// business to wherever it points, and turn a POST into a GET.
		http: &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
		retry: newRetryPolicy(cfg),
	}
	c.lists = newListCache(c.fetchSubscriptions)
	c.lists.budget = c.retry.maxElapsed
	return c, nil
}

// call is one logical API call, retried as a whole.
type call struct {
	op       string
	method   string
	path     string
	body     any
	business string
	// maxBody caps the answer's size; 0 means maxBodyBytes.
	maxBody int
}

// answer is what the API sent back for the last attempt of a call.
type answer struct {
	status int
	body   []byte
	// ambiguous is true when an earlier attempt may have been processed by
	// the API without the client learning the outcome (a timeout, a dropped
	// connection, a 502 or 504). Only non-idempotent calls care.
	ambiguous bool
	attempts  int
}

// do is the one place that sends requests: it sets the headers, enforces the
// per-attempt timeout, reads the body through a size cap and retries the
// failures that are worth retrying. Every attempt first waits at the
// client's back-off gate, which a throttle answer shuts for every call. A
// non-2xx final answer is an *APIError.
//
// ctx's deadline is the call's time budget (MaxElapsed when it has none),
// and everything counts against it: the attempts, the waits between them
// and the waits at the gate. No wait starts that would end after it.
func (c *Client) do(ctx context.Context, cl call) (answer, error) {
	if !validHeaderValue(cl.business) {
		return answer{}, &HeaderError{Header: "X-On-Behalf-Of", Setting: "business id", Value: cl.business}
	}
	payload, err := encodeBody(cl.body)
	if err != nil {
		return answer{}, err
	}
	if _, bounded := ctx.Deadline(); !bounded {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.retry.maxElapsed)
		defer cancel()
	}
	var result answer
	var lastErr error
	transient := 0
	for attempt := 1; ; attempt++ {
		if err := c.gate.wait(ctx); err != nil {
			if errors.Is(err, errGateBeyondBudget) {
				err = cmp.Or(lastErr, error(&ThrottledError{Op: cl.op}))
			}
			return result, err
		}
		result.attempts = attempt
		status, header, body, sendErr := c.attempt(ctx, cl, payload)
		if sendErr != nil && ctx.Err() != nil {
			// The request may have reached the API before the caller gave
			// up. (An answer read in full is kept, whenever the caller gave
			// up: it may say what a subscribe created.)
			result.ambiguous = true
			return result, ctx.Err()
		}
		kind, ambiguous := classify(status, sendErr)
		result.ambiguous = result.ambiguous || ambiguous
		if kind == noRetry {
			result.status, result.body = status, body
			if IsDecode(sendErr) {
				return result, sendErr
			}
			if sendErr != nil {
				return result, &RequestError{Op: cl.op, Attempts: attempt, Err: sendErr}
			}
			if status >= 300 && status <= 399 {
				return result, &RedirectError{Op: cl.op, StatusCode: status, Target: c.redirectTarget(header)}
			}
			if status < 200 || status > 299 {
				return result, c.apiError(cl.op, status, body, attempt)
			}
			return result, nil
		}
		if kind == retryTransient {
			transient++
		}
		if sendErr != nil {
			lastErr = &RequestError{Op: cl.op, Attempts: attempt, Err: sendErr}
		} else {
			lastErr = c.apiError(cl.op, status, body, attempt)
		}
		wait, ok := c.retry.next(kind, transient, attempt, header, budgetLeft(ctx))
		if !ok {
			result.status, result.body = status, body
			return result, lastErr
		}
		if kind == retryThrottled {
			c.gate.holdFor(c.retry.throttlePause(header))
		}
		if err := sleep(ctx, wait); err != nil {
			return result, err
		}
	}
}

// attempt sends one request. It returns the status, headers and capped body,
// or the transport error.
func (c *Client) attempt(ctx context.Context, cl call, payload []byte) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.retry.requestTimeout)
	defer cancel()

	target := c.baseURL.JoinPath(cl.path)
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target.String(), body)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.agent != "" {
		req.Header.Set("User-Agent", c.agent)
	}
	if cl.business != "" {
		req.Header.Set("X-On-Behalf-Of", cl.business)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	// Closing a body not read to its end drops the connection rather than
	// reading the rest.
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode < 200 {
		// A 1xx final answer has no body to read: after 101 Switching
		// Protocols the "body" is the raw connection, whose reads the
		// request's context does not interrupt.
		return resp.StatusCode, resp.Header, nil, nil
	}
	if resp.StatusCode > 299 {
		// An error answer matters for its first words only: whatever
		// follows maxErrorBodyBytes is left unread.
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyBytes))
		if err != nil {
			return 0, nil, nil, fmt.Errorf("reading the answer: %w", err)
		}
		return resp.StatusCode, resp.Header, data, nil
	}
	limit := cmp.Or(cl.maxBody, maxBodyBytes)
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		// A body cut off mid-way is a dropped connection, not an answer.
		return 0, nil, nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(data) > limit {
		return resp.StatusCode, resp.Header, nil, &DecodeError{Op: cl.op, StatusCode: resp.StatusCode, Problem: fmt.Sprintf("larger than %d MiB", limit>>20)}
	}
	return resp.StatusCode, resp.Header, data, nil
}

// budgetLeft is the time left before ctx's deadline, read afresh each time:
// a list shared by several operations has the deadline of the last of them,
// which moves as they come.
func budgetLeft(ctx context.Context) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok {
		return DefaultMaxElapsed
	}
	return time.Until(deadline)
}

func encodeBody(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	return json.Marshal(body)
}

// redirectTarget is where a redirect points, as scheme://host (a relative
// Location is on the base URL's host): enough to recognise a moved API or a
// proxy, and never the path or query, which might carry a secret.
func (c *Client) redirectTarget(header http.Header) string {
	location := header.Get("Location")
	if location == "" {
		return ""
	}
	u, err := c.baseURL.Parse(location)
	if err != nil || u.Host == "" {
		return ""
	}
	return snippet([]byte(u.Scheme+"://"+u.Host), c.token)
}

// apiError builds the error for a non-2xx answer, with the API's own words.
// A 1xx answer is informational: it can never end a call, whatever it says.
func (c *Client) apiError(op string, status int, body []byte, attempts int) error {
	message := c.messageOf(body)
	if status < 200 {
		message = "an informational (1xx) answer where the API's final answer was due"
	}
	return &APIError{Op: op, StatusCode: status, Message: message, Attempts: attempts}
}

// messageOf extracts the API's words from an error body: the "message" of
// {"status":"Error","message":...}, the "response" of {"response":"Not
// Subscribed"}, or else a sanitised snippet of whatever came back.
func (c *Client) messageOf(body []byte) string {
	var shaped struct {
		Message  any `json:"message"`
		Response any `json:"response"`
		Error    any `json:"error"`
	}
	if json.Unmarshal(body, &shaped) == nil {
		for _, field := range []any{shaped.Message, shaped.Response, shaped.Error} {
			if text, ok := field.(string); ok && text != "" {
				return snippet([]byte(text), c.token)
			}
		}
	}
	var plain string
	if json.Unmarshal(body, &plain) == nil {
		return snippet([]byte(plain), c.token)
	}
	return snippet(body, c.token)
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
