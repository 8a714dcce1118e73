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
	wait, ok := p.next(1, hostile, 0)
	if !ok || wait != 2*time.Second {
		t.Errorf("Retry-After: 3600 gave a wait of %v (ok %v), want the 2s cap", wait, ok)
	}
	for _, huge := range []string{"9300000000", "9999999999999", "99999999999999999999999"} {
		if wait, ok := p.next(1, http.Header{"Retry-After": []string{huge}}, 0); !ok || wait != 2*time.Second {
			t.Errorf("Retry-After: %s gave a wait of %v (ok %v), want the 2s cap", huge, wait, ok)
		}
	}
	if _, ok := p.next(3, nil, 0); ok {
		t.Error("a third retry was allowed with max_retries = 2")
	}
	if _, ok := p.next(1, hostile, 59*time.Second); ok {
		t.Error("a retry past the total time budget was allowed")
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
		name                 string
		status               int
		err                  error
		retryable, ambiguous bool
	}{
		{"200", 200, nil, false, false},
		{"400", 400, nil, false, false},
		{"401", 401, nil, false, false},
		{"422", 422, nil, false, false},
		{"500 refusal", 500, nil, false, false},
		{"429", 429, nil, true, false},
		{"503", 503, nil, true, false},
		{"502", 502, nil, true, true},
		{"504", 504, nil, true, true},
		{"never connected", 0, dialErr, true, false},
		{"connection reset", 0, readErr, true, true},
		{"attempt timeout", 0, context.DeadlineExceeded, true, true},
		{"oversized body", 200, &DecodeError{}, false, false},
		{"host not found", 0, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", IsNotFound: true}}, false, false},
		{"DNS server failure", 0, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "server misbehaving", IsTemporary: true}}, true, false},
		{"untrusted certificate", 0, &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, false, false},
		{"certificate for another host", 0, x509.HostnameError{Host: "x"}, false, false},
	}
	for _, tc := range tests {
		retryable, ambiguous := classify(tc.status, tc.err)
		if retryable != tc.retryable || ambiguous != tc.ambiguous {
			t.Errorf("%s: classify = %v, %v; want %v, %v", tc.name, retryable, ambiguous, tc.retryable, tc.ambiguous)
		}
	}
}
