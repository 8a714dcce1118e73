package vcita

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// The tests below run in testing/synctest bubbles, against the stub served in
// memory (newBubbleClient): the waits are the real ones, Retry-After: 1 and
// the two-minute budget included, and the clock they are measured on is
// exact.

func TestBackoffGateHoldsEveryRequestUntilItOpens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g backoffGate
		start := time.Now()
		if err := g.wait(t.Context()); err != nil || time.Since(start) != 0 {
			t.Fatalf("an open gate: wait = %v after %s, want nil at once", err, time.Since(start))
		}
		g.holdFor(3 * time.Second)
		g.holdFor(time.Second) // a shorter hold never shortens a longer one
		const waiters = 5
		opened := make(chan time.Duration, waiters)
		for range waiters {
			go func() {
				if err := g.wait(t.Context()); err != nil {
					t.Error(err)
				}
				opened <- time.Since(start)
			}()
		}
		time.Sleep(2 * time.Second)
		g.holdFor(4 * time.Second) // pushed further while they wait
		for range waiters {
			if at := <-opened; at != 6*time.Second {
				t.Errorf("a waiter went at %s, want 6s, when the pushed hold ended", at)
			}
		}
	})
}

func TestBackoffGateWaitStopsAtOnceWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g backoffGate
		g.holdFor(time.Hour)
		ctx, cancel := context.WithCancel(t.Context())
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- g.wait(ctx) }()
		time.Sleep(time.Second)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) || time.Since(start) != time.Second {
			t.Errorf("wait = %v after %s, want context.Canceled at the cancellation, 1s", err, time.Since(start))
		}
	})
}

func TestThrottleStormLongerThanFiveAttemptsSucceeds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t)
		// Twelve throttle answers in a row, each 429 with Retry-After: 1:
		// max_retries = 4 allows five attempts of a transient failure, but
		// throttling is retried until the time budget ends.
		const storm = 12
		s.FailNext(stub.OpSubscribe, stub.Fault429, storm/2)
		s.FailNext(stub.OpSubscribe, stub.Fault503, storm/2)
		start := time.Now()
		got, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
		if err != nil || got.Subscription.ID != "1001" {
			t.Fatalf("Subscribe = %+v, %v; want subscription 1001 after the storm", got, err)
		}
		if n := s.Calls(stub.OpSubscribe); n != storm+1 {
			t.Errorf("subscribe attempts = %d, want %d", n, storm+1)
		}
		if took := time.Since(start); took < storm/2*time.Second || took >= DefaultMaxElapsed {
			t.Errorf("the call took %s, want at least the 6s the Retry-After headers asked for, and less than the %s budget", took, DefaultMaxElapsed)
		}
		if n := len(s.All()); n != 1 {
			t.Errorf("%d subscriptions on the stub, want 1", n)
		}
	})
}

func TestThrottleStormGivesUpWhenTheBudgetEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t)
		s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, Ops: []string{stub.OpSubscribe}})
		start := time.Now()
		_, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
		took := time.Since(start)
		if !IsRateLimited(err) {
			t.Fatalf("Subscribe error = %v, want rate limited", err)
		}
		if took > DefaultMaxElapsed || took < DefaultMaxElapsed-DefaultRetryWaitMax {
			t.Errorf("gave up after %s, want within the last backoff step of the %s budget", took, DefaultMaxElapsed)
		}
		if n := s.Calls(stub.OpSubscribe); n <= DefaultMaxRetries+1 {
			t.Errorf("subscribe attempts = %d, want more than the %d that max_retries allows a transient failure", n, DefaultMaxRetries+1)
		}
		if n := len(s.All()); n != 0 {
			t.Errorf("%d subscriptions on the stub, want none", n)
		}
	})
}

func TestThrottledCallsStopAtOnceWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t)
		s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, RetryAfter: "10"})
		ctx, cancel := context.WithCancel(t.Context())
		start := time.Now()
		errs := make(chan error, 2)
		list := func(business string) {
			_, err := c.ListSubscriptions(ctx, business)
			errs <- err
		}
		go list("throttled") // waits out its own Retry-After
		time.Sleep(time.Second)
		go list("held") // waits at the gate the first one's 429 shut
		time.Sleep(time.Second)
		cancel()
		for range 2 {
			if err := <-errs; !errors.Is(err, context.Canceled) {
				t.Errorf("a list ended with %v, want context.Canceled", err)
			}
		}
		if took := time.Since(start); took != 2*time.Second {
			t.Errorf("the lists returned %s after the start, want at the cancellation, 2s", took)
		}
		if n := s.Calls(stub.OpList); n != 1 {
			t.Errorf("%d lists were sent, want only the first", n)
		}
	})
}

func TestMaxRetriesZeroRetriesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t, func(cfg *Config) { cfg.MaxRetries = 0 })
		start := time.Now()
		for _, kind := range []stub.FaultKind{stub.Fault429, stub.Fault503, stub.Fault502} {
			s.FailNext(stub.OpList, kind, 1)
			if _, err := c.ListSubscriptions(t.Context(), string(kind)); err == nil {
				t.Errorf("%s: the list succeeded; with max_retries = 0 the fault is the answer", kind)
			}
		}
		// Nor does a throttle answer hold the calls after it: nothing waits
		// for a retry that will not come.
		if _, err := c.ListSubscriptions(t.Context(), "after"); err != nil {
			t.Fatal(err)
		}
		if n := s.Calls(stub.OpList); n != 4 {
			t.Errorf("%d lists were sent, want 4: one attempt each", n)
		}
		if took := time.Since(start); took != 0 {
			t.Errorf("the calls took %s, want no wait at all", took)
		}
	})
}

func TestTransientFailuresKeepTheirCountLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t)
		s.FailNext(stub.OpList, stub.Fault502, 100)
		if _, err := c.ListSubscriptions(t.Context(), "a"); !IsUnavailable(err) {
			t.Fatalf("list error = %v, want unavailable", err)
		}
		if n := s.Calls(stub.OpList); n != DefaultMaxRetries+1 {
			t.Errorf("list attempts = %d, want 1 + max_retries (%d)", n, DefaultMaxRetries)
		}

		// Throttle answers do not use up the count of transient failures.
		s.Reset()
		s.FailNext(stub.OpList, stub.Fault429, 6)
		s.FailNext(stub.OpList, stub.Fault502, DefaultMaxRetries)
		if _, err := c.ListSubscriptions(t.Context(), "b"); err != nil {
			t.Fatalf("list error = %v; six 429s and max_retries 502s must still succeed", err)
		}
		if n := s.Calls(stub.OpList); n != 6+DefaultMaxRetries+1 {
			t.Errorf("list attempts = %d, want %d", n, 6+DefaultMaxRetries+1)
		}
	})
}

func TestConcurrentCallersShareTheBackOff(t *testing.T) {
	tests := map[string]struct {
		fault      stub.FaultKind
		retryAfter string
		hold       time.Duration
	}{
		"429 with Retry-After":    {fault: stub.Fault429, retryAfter: "5", hold: 5 * time.Second},
		"503 without Retry-After": {fault: stub.Fault503, hold: DefaultRetryWaitMin},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, s := newBubbleClient(t)
				s.SetFaults(stub.FaultConfig{RetryAfter: tc.retryAfter})
				s.FailNext(stub.OpList, tc.fault, 1)
				start := time.Now()
				var wg sync.WaitGroup
				list := func(business string) {
					if _, err := c.ListSubscriptions(t.Context(), business); err != nil {
						t.Errorf("list of %s: %v", business, err)
					}
					if took := time.Since(start); took != tc.hold {
						t.Errorf("the list of %s ended after %s, want %s, when the hold ended", business, took, tc.hold)
					}
				}
				wg.Go(func() { list("throttled") })
				synctest.Wait() // throttled, it waits to retry
				// Ten more resources, each of its own business, come along
				// while the API has asked the client to wait.
				const others = 10
				for i := range others {
					wg.Go(func() { list(fmt.Sprint("business-", i)) })
				}
				time.Sleep(tc.hold - time.Millisecond)
				if n := s.Calls(stub.OpList); n != 1 {
					t.Errorf("%d lists were sent while the API asked the client to wait, want only the throttled one", n)
				}
				wg.Wait()
				if n := s.Calls(stub.OpList); n != others+2 {
					t.Errorf("%d lists were sent in all, want %d", n, others+2)
				}
			})
		})
	}
}
