package vcita

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// One resource operation has one time budget, its context's deadline, and
// every call, retry and wait at the back-off gate counts against it. These
// run on the synctest clock, against the stub served in memory.

// An unsubscribe and the list that checks it share the operation's budget:
// a throttled delete ends within it, with the API's own answer.
func TestUnsubscribeAndItsCheckShareOneBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t)
		if _, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook); err != nil {
			t.Fatal(err)
		}
		s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, RetryAfter: "5"})
		const budget = time.Minute
		ctx, cancel := context.WithTimeout(t.Context(), budget)
		defer cancel()
		start := time.Now()
		err := c.Unsubscribe(ctx, "", mustEvent("client/created"), hook)
		if took := time.Since(start); took > budget {
			t.Errorf("the unsubscribe and its check took %s, want at most the operation's %s budget", took, budget)
		}
		if !IsRateLimited(err) {
			t.Errorf("Unsubscribe = %v, want the API's 429, not a bare timeout", err)
		}
	})
}

// A wait at the back-off gate counts against the budget: a call whose
// budget ends before the gate opens is not sent, and says why at once.
func TestGateWaitCountsAgainstTheBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t, func(cfg *Config) { cfg.MaxElapsed = 10 * time.Second })
		c.gate.holdFor(15 * time.Second) // as another call's Retry-After: 15 would
		start := time.Now()
		_, err := c.ListSubscriptions(t.Context(), "")
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("the list took %s, want at most its 10s budget", took)
		}
		if !IsRateLimited(err) {
			t.Errorf("ListSubscriptions = %v, want a rate-limit error", err)
		}
		if n := s.Calls(stub.OpList); n != 0 {
			t.Errorf("%d lists were sent past the budget, want none", n)
		}
	})
}

// A list shared by two operations runs until the later budget ends, and
// answers the operation still waiting with the API's words.
func TestSharedListRunsUntilTheLastWaitersBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t)
		s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, Ops: []string{stub.OpList}})
		start := time.Now()
		short, cancelShort := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancelShort()
		long, cancelLong := context.WithTimeout(t.Context(), 40*time.Second)
		defer cancelLong()
		shortErr := make(chan error, 1)
		sentByFirstBudget := make(chan int, 1)
		go func() {
			_, err := c.ListSubscriptions(short, "")
			sentByFirstBudget <- s.Calls(stub.OpList)
			shortErr <- err
		}()
		time.Sleep(time.Second)
		_, err := c.ListSubscriptions(long, "")
		took := time.Since(start)
		if !IsRateLimited(err) {
			t.Errorf("the later operation's list = %v, want the API's 429", err)
		}
		if took > 40*time.Second || took < 40*time.Second-DefaultRetryWaitMax {
			t.Errorf("the later operation's list ended after %s, want within the last backoff step before its 40s budget", took)
		}
		if err := <-shortErr; err == nil {
			t.Error("the earlier operation's list succeeded")
		}
		sent := s.Calls(stub.OpList)
		if first := <-sentByFirstBudget; sent <= first {
			t.Errorf("%d list attempts by the end of the first budget, %d by the end of the second: want the list kept going", first, sent)
		}
		time.Sleep(time.Minute)
		if after := s.Calls(stub.OpList); after != sent {
			t.Errorf("%d list attempts after every budget ended, want none", after-sent)
		}
	})
}

// The look-up after an unclear subscribe is clean-up: it has CleanupTimeout
// past the operation's deadline, and no more.
func TestLookupAfterAnUnclearSubscribeEndsCleanupTimeoutAfterTheBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := newBubbleClient(t)
		s.FailNext(stub.OpSubscribe, stub.Fault502, 100)
		const budget = 20 * time.Second
		ctx, cancel := context.WithTimeout(t.Context(), budget)
		defer cancel()
		// The list before the subscribe succeeds; every later one is
		// throttled, so the look-up runs as long as it may.
		if _, err := c.ListSubscriptions(ctx, ""); err != nil {
			t.Fatal(err)
		}
		s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, Ops: []string{stub.OpList}})
		start := time.Now()
		_, err := c.Subscribe(ctx, "", mustEvent("client/created"), hook)
		took := time.Since(start)
		var unresolved *UnresolvedSubscribeError
		if !errors.As(err, &unresolved) {
			t.Errorf("Subscribe = %v, want its outcome unresolved", err)
		}
		if took > budget+CleanupTimeout {
			t.Errorf("the subscribe and its look-up took %s, want at most the %s budget and %s of clean-up", took, budget, CleanupTimeout)
		}
	})
}
