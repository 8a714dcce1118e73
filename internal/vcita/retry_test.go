package vcita

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		value string
		want  time.Duration
		ok    bool
	}{
		"seconds":       {"7", 7 * time.Second, true},
		"zero":          {"0", 0, true},
		"HTTP date":     {now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		"past date":     {now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		"negative":      {"-3", 0, false},
		"garbage":       {"soon", 0, false},
		"absent":        {"", 0, false},
		"fractional":    {"1.5", 0, false},
		"huge number":   {"3600", time.Hour, true},
		"overflowing":   {"9999999999999", time.Duration(maxRetryAfterSeconds) * time.Second, true},
		"beyond int64":  {"99999999999999999999999", time.Duration(maxRetryAfterSeconds) * time.Second, true},
		"very negative": {"-99999999999999999999999", 0, false},
	}
	for name, tc := range tests {
		header := http.Header{}
		if tc.value != "" {
			header.Set("Retry-After", tc.value)
		}
		got, ok := parseRetryAfter(header, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: parseRetryAfter(%q) = %v, %v; want %v, %v", name, tc.value, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryPolicyCapsRetryAfterAndBoundsAttempts(t *testing.T) {
	p := newRetryPolicy(Config{MaxRetries: 2, RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 40 * time.Millisecond, MaxRetryAfter: 2 * time.Second, MaxElapsed: time.Minute})
	hostile := http.Header{"Retry-After": []string{"3600"}}
	for _, kind := range []retryKind{retryTransient, retryThrottled} {
		wait, ok := p.next(kind, 1, 1, hostile, time.Minute)
		if !ok || wait != 2*time.Second {
			t.Errorf("kind %d: Retry-After: 3600 gave a wait of %v (ok %v), want the 2s cap", kind, wait, ok)
		}
		for _, huge := range []string{"9300000000", "9999999999999", "99999999999999999999999"} {
			if wait, ok := p.next(kind, 1, 1, http.Header{"Retry-After": []string{huge}}, time.Minute); !ok || wait != 2*time.Second {
				t.Errorf("kind %d: Retry-After: %s gave a wait of %v (ok %v), want the 2s cap", kind, huge, wait, ok)
			}
		}
		if _, ok := p.next(kind, 1, 1, hostile, time.Second); ok {
			t.Errorf("kind %d: a retry past the total time budget was allowed", kind)
		}
	}
	if _, ok := p.next(retryTransient, 3, 3, nil, time.Minute); ok {
		t.Error("a third retry of a transient failure was allowed with max_retries = 2")
	}
	// Throttling is bounded by time alone; the transient failures of the
	// same call still count.
	if _, ok := p.next(retryThrottled, 0, 50, nil, time.Minute); !ok {
		t.Error("a throttled call was refused its 50th retry inside the time budget")
	}
	if _, ok := p.next(retryThrottled, 2, 50, nil, time.Minute); !ok {
		t.Error("a throttled call was refused a retry for the transient failures before it")
	}
}

func TestRetryPolicyWithoutRetriesRetriesNothing(t *testing.T) {
	for _, maxRetries := range []int{0, -1} {
		p := newRetryPolicy(Config{MaxRetries: maxRetries})
		for _, kind := range []retryKind{retryTransient, retryThrottled} {
			if wait, ok := p.next(kind, 0, 1, nil, time.Minute); ok {
				t.Errorf("max_retries = %d, kind %d: a retry after %v was allowed", maxRetries, kind, wait)
			}
		}
	}
}

func TestRetryPolicyThrottlePause(t *testing.T) {
	p := newRetryPolicy(Config{RetryWaitMin: 300 * time.Millisecond, MaxRetryAfter: 15 * time.Second})
	tests := map[string]struct {
		retryAfter string
		want       time.Duration
	}{
		"Retry-After":         {"4", 4 * time.Second},
		"Retry-After: 0":      {"0", 0},
		"hostile Retry-After": {"3600", 15 * time.Second},
		"no Retry-After":      {"", 300 * time.Millisecond},
		"garbage":             {"soon", 300 * time.Millisecond},
	}
	for name, tc := range tests {
		header := http.Header{}
		if tc.retryAfter != "" {
			header.Set("Retry-After", tc.retryAfter)
		}
		if got := p.throttlePause(header); got != tc.want {
			t.Errorf("%s: throttlePause = %v, want %v", name, got, tc.want)
		}
	}
}

func TestRetryPolicyBackoffGrowsWithinBounds(t *testing.T) {
	p := newRetryPolicy(Config{RetryWaitMin: 100 * time.Millisecond, RetryWaitMax: 800 * time.Millisecond})
	for attempt, step := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 9: 800 * time.Millisecond} {
		for range 50 {
			wait := p.backoff(attempt)
			if wait < step/2 || wait > step {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, wait, step/2, step)
			}
		}
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	p := newRetryPolicy(Config{MaxRetries: -1})
	if p.maxRetries != 0 || p.requestTimeout != DefaultRequestTimeout || p.maxRetryAfter != DefaultMaxRetryAfter || p.maxElapsed != DefaultMaxElapsed {
		t.Errorf("defaults not applied: %+v", p)
	}
}

func TestClassify(t *testing.T) {
	dialErr := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	readErr := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	tests := []struct {
		name      string
		status    int
		err       error
		kind      retryKind
		ambiguous bool
	}{
		{"200", 200, nil, noRetry, false},
		{"400", 400, nil, noRetry, false},
		{"401", 401, nil, noRetry, false},
		{"422", 422, nil, noRetry, false},
		{"500 refusal", 500, nil, noRetry, false},
		{"429", 429, nil, retryThrottled, false},
		{"503", 503, nil, retryThrottled, false},
		{"502", 502, nil, retryTransient, true},
		{"504", 504, nil, retryTransient, true},
		{"never connected", 0, dialErr, retryTransient, false},
		{"connection reset", 0, readErr, retryTransient, true},
		{"attempt timeout", 0, context.DeadlineExceeded, retryTransient, true},
		{"oversized body", 200, &DecodeError{}, noRetry, false},
		{"host not found", 0, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", IsNotFound: true}}, noRetry, false},
		{"DNS server failure", 0, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "server misbehaving", IsTemporary: true}}, retryTransient, false},
		{"untrusted certificate", 0, &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, noRetry, false},
		{"certificate for another host", 0, x509.HostnameError{Host: "x"}, noRetry, false},
	}
	for _, tc := range tests {
		kind, ambiguous := classify(tc.status, tc.err)
		if kind != tc.kind || ambiguous != tc.ambiguous {
			t.Errorf("%s: classify = %d, %v; want %d, %v", tc.name, kind, ambiguous, tc.kind, tc.ambiguous)
		}
	}
}
