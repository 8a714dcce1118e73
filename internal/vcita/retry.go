package vcita

import (
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// retryPolicy decides whether and how long to wait before the next attempt.
type retryPolicy struct {
	maxRetries     int
	requestTimeout time.Duration
	waitMin        time.Duration
	waitMax        time.Duration
	maxRetryAfter  time.Duration
	maxElapsed     time.Duration
}

func newRetryPolicy(cfg Config) retryPolicy {
	p := retryPolicy{
		maxRetries:     cfg.MaxRetries,
		requestTimeout: cfg.RequestTimeout,
		waitMin:        cfg.RetryWaitMin,
		waitMax:        cfg.RetryWaitMax,
		maxRetryAfter:  cfg.MaxRetryAfter,
		maxElapsed:     cfg.MaxElapsed,
	}
	if p.maxRetries < 0 {
		p.maxRetries = 0
	}
	if p.requestTimeout <= 0 {
		p.requestTimeout = DefaultRequestTimeout
	}
	if p.waitMin <= 0 {
		p.waitMin = DefaultRetryWaitMin
	}
	if p.waitMax < p.waitMin {
		p.waitMax = max(DefaultRetryWaitMax, p.waitMin)
	}
	if p.maxRetryAfter <= 0 {
		p.maxRetryAfter = DefaultMaxRetryAfter
	}
	if p.maxElapsed <= 0 {
		p.maxElapsed = DefaultMaxElapsed
	}
	return p
}

// next returns the wait before attempt+1, or false when the retries are
// spent or the wait would end after the time budget, of which left
// remains. transient counts the transient failures so far, this one
// included. A throttled call is retried until the time budget ends,
// however many attempts that takes: throttling is the API asking the client
// to slow down, not a failure. maxRetries 0 retries nothing, throttling
// included, for a user who wants to fail fast.
func (p retryPolicy) next(kind retryKind, transient, attempt int, header http.Header, left time.Duration) (time.Duration, bool) {
	if p.maxRetries == 0 || (kind == retryTransient && transient > p.maxRetries) {
		return 0, false
	}
	wait := p.backoff(attempt)
	if retryAfter, ok := p.retryAfter(header); ok {
		wait = max(wait, retryAfter)
	}
	if wait > left {
		return 0, false
	}
	return wait, true
}

// throttlePause is how long a throttle answer holds every request of the
// client (see backoffGate): the Retry-After it carries, capped, or else the
// shortest backoff step. The throttled call itself waits at least as long,
// and backs off further as its own attempts fail.
func (p retryPolicy) throttlePause(header http.Header) time.Duration {
	if retryAfter, ok := p.retryAfter(header); ok {
		return retryAfter
	}
	return p.waitMin
}

// retryAfter is the answer's Retry-After, capped at maxRetryAfter.
func (p retryPolicy) retryAfter(header http.Header) (time.Duration, bool) {
	retryAfter, ok := parseRetryAfter(header, time.Now())
	return min(retryAfter, p.maxRetryAfter), ok
}

// backoff is exponential with "equal jitter": half the step is fixed, half
// random, so that many clients hit by the same outage do not retry in step.
func (p retryPolicy) backoff(attempt int) time.Duration {
	step := p.waitMin
	for i := 1; i < attempt && step < p.waitMax; i++ {
		step *= 2
	}
	step = min(step, p.waitMax)
	half := step / 2
	return half + rand.N(half+1)
}

// maxRetryAfterSeconds is the largest Retry-After in seconds that a
// time.Duration can hold.
const maxRetryAfterSeconds = int64(math.MaxInt64 / time.Second)

// parseRetryAfter reads a Retry-After header in either of its forms: a
// number of seconds or an HTTP date.
func parseRetryAfter(header http.Header, now time.Time) (time.Duration, bool) {
	value := header.Get("Retry-After")
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if seconds < 0 {
			return 0, false
		}
		// Clamp before multiplying: a huge value must not wrap around to a
		// short or negative wait. The caller caps it far lower anyway.
		return time.Duration(min(seconds, maxRetryAfterSeconds)) * time.Second, true
	}
	if when, err := http.ParseTime(value); err == nil {
		return max(when.Sub(now), 0), true
	}
	return 0, false
}

// retryKind says whether an attempt's outcome is worth retrying, and which
// limit bounds the retries.
type retryKind int

const (
	// noRetry: a success, or a failure no retry can mend.
	noRetry retryKind = iota
	// retryTransient: a failure that may pass (a connection error, a
	// timeout, 502, 504), retried at most maxRetries times.
	retryTransient
	// retryThrottled: the API asked the client to slow down (429, 503),
	// retried until the call's time budget is spent.
	retryThrottled
)

// classify says whether and how an attempt's outcome is retried, and whether
// the API may have processed the request even though the client saw no
// success (which matters for subscribe, the one call that is not idempotent).
func classify(status int, sendErr error) (kind retryKind, ambiguous bool) {
	if sendErr != nil {
		if IsDecode(sendErr) || IsHostNotFound(sendErr) || IsCertificateError(sendErr) {
			// Nothing a retry can mend; a request refused before it was
			// sent cannot have been processed.
			return noRetry, false
		}
		var opErr *net.OpError
		if errors.As(sendErr, &opErr) && opErr.Op == "dial" {
			// Never connected: the request cannot have been processed.
			return retryTransient, false
		}
		return retryTransient, true
	}
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// The API (or its gateway) turned the request away unprocessed.
		return retryThrottled, false
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		// A gateway lost the answer; the service behind it may have acted.
		return retryTransient, true
	}
	return noRetry, false
}
