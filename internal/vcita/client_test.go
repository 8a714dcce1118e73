package vcita

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

const hook = "https://hooks.example.com/h"

// newTestClient returns a client of a fresh stub, with quick retries.
func newTestClient(t *testing.T, tweak ...func(*Config)) (*Client, *stub.Server) {
	t.Helper()
	s := stub.NewTestServer(t)
	return mustNew(t, Config{
		BaseURL:        s.URL(),
		Token:          stub.DefaultToken,
		UserAgent:      "terraform-provider-vcita/test",
		MaxRetries:     3,
		RequestTimeout: 2 * time.Second,
		RetryWaitMin:   time.Millisecond,
		RetryWaitMax:   5 * time.Millisecond,
		MaxRetryAfter:  10 * time.Millisecond,
	}, tweak...), s
}

// newBubbleClient returns a client of a fresh stub served in memory
// (stub.Server.Transport), with the provider's default retry settings, for
// a test in a testing/synctest bubble: on its fake clock the real waits
// (Retry-After: 1, the backoff, the two-minute budget) cost nothing, and
// every instant is exact.
func newBubbleClient(t *testing.T, tweak ...func(*Config)) (*Client, *stub.Server) {
	t.Helper()
	s := stub.New()
	return mustNew(t, Config{
		BaseURL:    "http://stub.test",
		Token:      stub.DefaultToken,
		MaxRetries: DefaultMaxRetries,
		Transport:  s.Transport(),
	}, tweak...), s
}

func mustNew(t *testing.T, cfg Config, tweak ...func(*Config)) *Client {
	t.Helper()
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewValidatesItsConfig(t *testing.T) {
	if _, err := New(Config{Token: ""}); err == nil {
		t.Error("New accepted an empty token")
	}
	if _, err := New(Config{Token: "t", BaseURL: "not a url"}); err == nil {
		t.Error("New accepted a relative base URL")
	}
}

func TestSubscribeWithIDInTheAnswer(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	got, err := c.Subscribe(t.Context(), "biz-1", mustEvent("lead/created"), hook)
	if err != nil {
		t.Fatal(err)
	}
	stored := s.Subscriptions("biz-1")
	if len(stored) != 1 {
		t.Fatalf("stub has %d subscriptions, want 1", len(stored))
	}
	// The id proves the subscription exists: it is not listed again, and
	// the catalogue spells it (canonical entity, event type as subscribed).
	want := Subscription{ID: "1001", Entity: "client", EventType: "created", TargetURL: hook}
	if got.Subscription != want || got.Adopted {
		t.Errorf("Subscribe = %+v, want %+v (not adopted)", got, want)
	}
	if n := s.Calls(stub.OpList); n != 1 {
		t.Errorf("list calls = %d, want only the one before subscribing", n)
	}
	for _, req := range s.Requests() {
		if req.Header.Get("Authorization") != "Bearer "+stub.DefaultToken {
			t.Errorf("%s: missing bearer token", req.Op)
		}
		if req.Header.Get("X-On-Behalf-Of") != "biz-1" {
			t.Errorf("%s: X-On-Behalf-Of = %q", req.Op, req.Header.Get("X-On-Behalf-Of"))
		}
		if req.Header.Get("User-Agent") != "terraform-provider-vcita/test" {
			t.Errorf("%s: User-Agent = %q", req.Op, req.Header.Get("User-Agent"))
		}
		if req.Op == stub.OpSubscribe && req.Header.Get("Content-Type") != "application/json" {
			t.Errorf("subscribe: Content-Type = %q", req.Header.Get("Content-Type"))
		}
	}
}

func TestSubscribeWithoutIDInTheAnswerFindsItInTheList(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusOK, http.StatusCreated} {
		c, s := newTestClient(t)
		s.SetBehaviour(stub.Behaviour{SubscribeWithoutID: true, SubscribeStatus: status, ExtraFields: true})
		got, err := c.Subscribe(t.Context(), "", mustEvent("appointment/scheduled"), hook)
		if err != nil {
			t.Fatalf("status %d: %v", status, err)
		}
		if got.Subscription.ID != "1001" || got.Subscription.Entity != "meeting" || got.Subscription.EventType != "scheduled" {
			t.Errorf("status %d: Subscribe = %+v", status, got)
		}
	}
}

func TestSubscribeWithIDNeedsNoListAfterwards(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	if _, err := c.ListSubscriptions(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	// Every list from now on fails: the subscription made must still be
	// reported, for the state, since the API gave its id.
	s.FailNext(stub.OpList, stub.Fault500, 100)
	got, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
	if err != nil || got.Subscription.ID != "1001" {
		t.Fatalf("Subscribe = %+v, %v; want subscription 1001", got, err)
	}
}

func TestSubscribeCancelledAfterTheAnswerKeepsIt(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c, s := newTestClient(t, func(cfg *Config) { cfg.Transport = stub.Interrupt{Op: stub.OpSubscribe, Cancel: cancel} })
	if _, err := c.ListSubscriptions(ctx, ""); err != nil {
		t.Fatal(err)
	}
	s.FailNext(stub.OpList, stub.Fault500, 100)
	got, err := c.Subscribe(ctx, "", mustEvent("client/created"), hook)
	if err != nil || got.Subscription.ID != "1001" {
		t.Fatalf("Subscribe = %+v, %v; the answer came with id 1001 before the cancellation, so it must be reported", got, err)
	}
}

// cancelOnList cancels the caller's context when the list request numbered
// at (1 is the first) is sent, and forwards every request.
type cancelOnList struct {
	next   http.RoundTripper
	cancel context.CancelFunc
	at     int32
	lists  *atomic.Int32
}

func (c cancelOnList) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet && c.lists.Add(1) == c.at {
		c.cancel()
	}
	return c.next.RoundTrip(req)
}

func TestSubscribeWithoutIDCancelledDuringTheLookupStillFindsIt(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c, s := newTestClient(t, func(cfg *Config) {
		cfg.Transport = cancelOnList{next: http.DefaultTransport, cancel: cancel, at: 2, lists: new(atomic.Int32)}
	})
	s.SetBehaviour(stub.Behaviour{SubscribeWithoutID: true})
	got, err := c.Subscribe(ctx, "", mustEvent("client/created"), hook)
	if err != nil || got.Subscription.ID != "1001" {
		t.Fatalf("Subscribe = %+v, %v; the lookup after a cancellation must still find subscription 1001", got, err)
	}
}

func TestSubscribeAdoptsWhenCancelledDuringTheLookup(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c, s := newTestClient(t, func(cfg *Config) {
		cfg.Transport = cancelOnList{next: http.DefaultTransport, cancel: cancel, at: 2, lists: new(atomic.Int32)}
	})
	s.FailNext(stub.OpSubscribe, stub.FaultCommit502, 10)
	got, err := c.Subscribe(ctx, "", mustEvent("client/created"), hook)
	if err != nil || !got.Adopted || got.Subscription.ID != "1001" {
		t.Fatalf("Subscribe = %+v, %v; the lookup after a cancellation must still adopt subscription 1001", got, err)
	}
}

func TestSubscribeAdoptsWhenTheFirstLookupFails(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	if _, err := c.ListSubscriptions(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	s.FailNext(stub.OpSubscribe, stub.FaultCommit502, 10)
	s.FailNext(stub.OpList, stub.Fault500, listConfirmAttempts-1)
	got, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
	if err != nil || !got.Adopted || got.Subscription.ID != "1001" {
		t.Fatalf("Subscribe = %+v, %v; a failed lookup must be tried again, and adopt subscription 1001", got, err)
	}
}

func TestLookupContextOutlivesItsParentByABoundedTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		parent, cancelParent := context.WithCancel(t.Context())
		lookup, cancel := lookupContext(parent)
		defer cancel()
		time.Sleep(time.Hour)
		if lookup.Err() != nil {
			t.Fatal("the lookup ended while its parent was alive")
		}
		cancelParent()
		time.Sleep(CleanupTimeout - time.Millisecond)
		if lookup.Err() != nil {
			t.Fatal("the lookup ended as soon as its parent was cancelled")
		}
		time.Sleep(2 * time.Millisecond)
		if lookup.Err() == nil {
			t.Fatalf("the lookup still runs %s after its parent was cancelled", CleanupTimeout)
		}
	})
}

func TestSubscribeWithoutIDLooksAgainWhenTheListFails(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.SetBehaviour(stub.Behaviour{SubscribeWithoutID: true})
	if _, err := c.ListSubscriptions(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	s.FailNext(stub.OpList, stub.Fault500, listConfirmAttempts-1)
	got, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
	if err != nil || got.Subscription.ID != "1001" {
		t.Fatalf("Subscribe = %+v, %v; want subscription 1001 from the last look", got, err)
	}
}

func TestSubscribeWithoutIDNeverListedSaysSo(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.SetBehaviour(stub.Behaviour{SubscribeWithoutID: true})
	if _, err := c.ListSubscriptions(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	s.FailNext(stub.OpList, stub.Fault500, listConfirmAttempts)
	_, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
	if !errors.Is(err, ErrNotListed) || !IsRefused(err) {
		t.Fatalf("Subscribe error = %v; want ErrNotListed carrying the list's 500", err)
	}
}

func TestSubscribeErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		event      catalog.Event
		url        string
		token      string
		baseSuffix string
		is         func(error) bool
		words      string
	}{
		// The client sends what it is given; only the provider's validators
		// stop a malformed event, so the API's 400 is still decoded.
		"bad format":    {event: catalog.Event{Entity: "nonsense"}, url: hook, is: IsBadRequest, words: "Invalid event format"},
		"unknown event": {event: mustEvent("client/exploded"), url: hook, is: IsRefused, words: "Not Subscribed"},
		"bad token":     {event: mustEvent("client/created"), url: hook, token: "wrong", is: IsUnauthorized, words: "Unauthorized"},
		"wrong path":    {event: mustEvent("client/created"), url: hook, baseSuffix: "/nope", is: IsNotFound},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stub.NewTestServer(t)
			token := stub.DefaultToken
			if tc.token != "" {
				token = tc.token
			}
			c, err := New(Config{BaseURL: s.URL() + tc.baseSuffix, Token: token, RetryWaitMin: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Subscribe(t.Context(), "", tc.event, tc.url)
			if err == nil || !tc.is(err) {
				t.Fatalf("Subscribe error = %v, not of the expected kind", err)
			}
			if !strings.Contains(err.Error(), tc.words) {
				t.Errorf("error %q does not carry the API's words %q", err, tc.words)
			}
			if strings.Contains(err.Error(), token) && token != "wrong" {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestSubscribeConflictWithAnExistingSubscription(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	if _, err := s.Add("", "client/created", hook); err != nil {
		t.Fatal(err)
	}
	_, err := c.Subscribe(t.Context(), "", mustEvent("lead/created"), hook)
	if !IsConflict(err) {
		t.Fatalf("Subscribe error = %v, want a conflict", err)
	}
	if !strings.Contains(err.Error(), "Webhook already exists") {
		t.Errorf("error %q lacks the API's words", err)
	}
}

func TestSubscribeAdoptsWhatALostAnswerCreated(t *testing.T) {
	t.Parallel()
	for _, kind := range []stub.FaultKind{stub.FaultCommit502} {
		c, s := newTestClient(t)
		s.FailNext(stub.OpSubscribe, kind, 1)
		got, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if !got.Adopted {
			t.Errorf("%s: the retry's 422 should have led to adopting the subscription", kind)
		}
		if n := len(s.All()); n != 1 {
			t.Errorf("%s: stub has %d subscriptions, want exactly 1", kind, n)
		}
		if got.Subscription.ID != "1001" {
			t.Errorf("%s: adopted id %q, want 1001", kind, got.Subscription.ID)
		}
	}
}

func TestSubscribeAdoptsWhenRetriesRunOut(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.FailNext(stub.OpSubscribe, stub.FaultCommit502, 10)
	got, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Adopted || len(s.All()) != 1 {
		t.Errorf("got %+v with %d on the stub; want the one subscription adopted", got, len(s.All()))
	}
	if n := s.Calls(stub.OpSubscribe); n != 4 {
		t.Errorf("subscribe attempts: %d, want 1 + 3 retries", n)
	}
}

func TestSubscribeDoesNotAdoptWhatExistedBefore(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	if _, err := s.Add("", "client/created", hook); err != nil {
		t.Fatal(err)
	}
	// The first answer is lost; the retry says "already exists". The list
	// taken before the call shows the subscription was already there.
	s.FailNext(stub.OpSubscribe, stub.Fault502, 1)
	_, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
	if !IsConflict(err) {
		t.Fatalf("Subscribe error = %v, want the 422 of the existing subscription", err)
	}
}

func TestSubscribeRidesThroughTransientFaults(t *testing.T) {
	t.Parallel()
	for _, kind := range []stub.FaultKind{stub.Fault429, stub.Fault502, stub.Fault503, stub.FaultDrop, stub.FaultTimeout} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			c, s := newTestClient(t, func(cfg *Config) { cfg.RequestTimeout = 300 * time.Millisecond })
			s.FailNext(stub.OpSubscribe, kind, 2)
			got, err := c.Subscribe(t.Context(), "", mustEvent("payment/paid"), hook)
			if err != nil {
				t.Fatal(err)
			}
			if got.Subscription.ID == "" || len(s.All()) != 1 {
				t.Errorf("got %+v with %d on the stub", got, len(s.All()))
			}
		})
	}
}

func TestSubscribeHTMLAnswerIsAnErrorNotASuccess(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultHTML}, Ops: []string{stub.OpSubscribe}, HTMLStatus: http.StatusOK})
	_, err := c.Subscribe(t.Context(), "", mustEvent("payment/paid"), hook)
	if !IsDecode(err) {
		t.Fatalf("error = %v, want a decode error", err)
	}
	if strings.Contains(err.Error(), "<") {
		t.Errorf("the snippet should be text, not markup: %v", err)
	}
}

func TestListHTMLAnswerIsAnError(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultHTML}, Ops: []string{stub.OpList}, HTMLStatus: http.StatusOK})
	subs, err := c.ListSubscriptions(t.Context(), "")
	if !IsDecode(err) || subs != nil {
		t.Fatalf("ListSubscriptions = %v, %v; want a decode error", subs, err)
	}
}

func TestListWithoutASubscriptionsArrayIsAnError(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"null":    `{"response":{"success":"ok","data":{"subscriptions":null}}}`,
		"missing": `{"response":{"success":"ok","data":{}}}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, s := newTestClient(t)
			if _, err := s.Add("", "client/created", hook); err != nil {
				t.Fatal(err)
			}
			s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultBody}, Ops: []string{stub.OpList}, Body: body})
			subs, err := c.ListSubscriptions(t.Context(), "")
			if !IsDecode(err) || !strings.Contains(err.Error(), `"subscriptions"`) || subs != nil {
				t.Fatalf("ListSubscriptions = %v, %v; want a decode error naming \"subscriptions\"", subs, err)
			}
		})
	}
}

func TestSubscribeCancelledMidCallStillReportsWhatItCreated(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c, s := newTestClient(t, func(cfg *Config) {
		cfg.Transport = stub.Interrupt{Op: stub.OpSubscribe, Cancel: cancel, LoseAnswer: true}
	})
	got, err := c.Subscribe(ctx, "", mustEvent("client/created"), hook)
	if err != nil {
		t.Fatalf("Subscribe = %v; the subscription was created, so it must be reported for the state", err)
	}
	if !got.Adopted || got.Subscription.ID != "1001" || len(s.All()) != 1 {
		t.Errorf("got %+v with %d on the stub", got, len(s.All()))
	}
}

func TestCallsStopWhenTheContextIsCancelled(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.SetFaults(stub.FaultConfig{Latency: 5 * time.Second})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.ListSubscriptions(ctx, "")
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("a cancelled call kept waiting for the API")
	}
}

func TestUnsubscribeRemovesOnlyItsOwnSubscription(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	for _, event := range []string{"client/created", "client/updated", "payment/paid"} {
		if _, err := s.Add("", event, hook); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Unsubscribe(t.Context(), "", mustEvent("lead/created"), hook); err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, sub := range s.All() {
		left = append(left, sub.Event())
	}
	if strings.Join(left, " ") != "client/update payment/paid" {
		t.Errorf("left on the stub: %v", left)
	}
}

func TestUnsubscribeRefusesToLeaveOutTheEvent(t *testing.T) {
	t.Parallel()
	unsafe := []catalog.Event{
		{}, {Entity: " ", Type: " "}, {Entity: "client"}, {Type: "created"},
		{Entity: " client", Type: "created"}, {Entity: "client", Type: "created/x"}, {Entity: "client/created"},
	}
	for _, event := range unsafe {
		t.Run(fmt.Sprintf("%q", event), func(t *testing.T) {
			t.Parallel()
			c, s := newTestClient(t)
			if _, err := s.Add("", "client/created", hook); err != nil {
				t.Fatal(err)
			}
			if err := c.Unsubscribe(t.Context(), "", event, hook); !errors.Is(err, ErrUnsafeUnsubscribe) {
				t.Fatalf("Unsubscribe(%q) = %v, want it refused", event, err)
			}
			if n := s.Calls(stub.OpUnsubscribe) + s.Calls(stub.OpList); n != 0 || len(s.All()) != 1 {
				t.Errorf("%d calls were sent and %d subscriptions are left", n, len(s.All()))
			}
		})
	}
	c, _ := newTestClient(t)
	if err := c.Unsubscribe(t.Context(), "", mustEvent("client/created"), ""); !errors.Is(err, ErrUnsafeUnsubscribe) {
		t.Errorf("Unsubscribe without a target URL = %v, want it refused", err)
	}
}

func TestUnsubscribeOfAGoneSubscriptionSucceeds(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.SetBehaviour(stub.Behaviour{UnsubscribePlainText: true})
	if err := c.Unsubscribe(t.Context(), "", mustEvent("client/created"), hook); err != nil {
		t.Errorf("Unsubscribe of nothing = %v, want nil", err)
	}
}

func TestUnsubscribeUnderFaults(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fault   stub.FaultKind
		n       int
		wantErr bool
		wantOn  int
	}{
		"committed then 502":                         {fault: stub.FaultCommit502, n: 1, wantOn: 1},
		"always committed then 502, retries run out": {fault: stub.FaultCommit502, n: 10, wantOn: 1},
		"HTML page, nothing removed":                 {fault: stub.FaultHTML, n: 10, wantErr: true, wantOn: 2},
		"dropped connection":                         {fault: stub.FaultDrop, n: 2, wantOn: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, s := newTestClient(t)
			for _, event := range []string{"client/created", "client/updated"} {
				if _, err := s.Add("", event, hook); err != nil {
					t.Fatal(err)
				}
			}
			s.FailNext(stub.OpUnsubscribe, tc.fault, tc.n)
			err := c.Unsubscribe(t.Context(), "", mustEvent("client/created"), hook)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Unsubscribe error = %v, wantErr %v", err, tc.wantErr)
			}
			if got := len(s.All()); got != tc.wantOn {
				t.Errorf("%d subscriptions left, want %d (the other event's must survive)", got, tc.wantOn)
			}
			for _, sub := range s.All() {
				if sub.Event() == "client/update" {
					return
				}
			}
			t.Error("client/updated, which this call does not own, is gone")
		})
	}
}

func TestUnsubscribeUnrecognisedAnswerIsCheckedAgainstTheList(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", " \r\n", "null", "{}", `{"status":"OK"}`} {
		for _, kind := range []stub.FaultKind{stub.FaultBody, stub.FaultCommitBody} {
			t.Run(fmt.Sprintf("%s %q", kind, body), func(t *testing.T) {
				t.Parallel()
				c, s := newTestClient(t)
				if _, err := s.Add("", "client/created", hook); err != nil {
					t.Fatal(err)
				}
				s.SetFaults(stub.FaultConfig{Body: body})
				s.FailNext(stub.OpUnsubscribe, kind, 1)
				err := c.Unsubscribe(t.Context(), "", mustEvent("client/created"), hook)
				if kind == stub.FaultCommitBody {
					// Removed, as the list shows: a success after all.
					if err != nil || len(s.All()) != 0 {
						t.Fatalf("Unsubscribe = %v with %d left; the list shows it gone, so it succeeded", err, len(s.All()))
					}
					return
				}
				if !IsDecode(err) || len(s.All()) != 1 {
					t.Fatalf("Unsubscribe = %v with %d left; an answer that is not a documented success, with the subscription still listed, is an error", err, len(s.All()))
				}
				if n := s.Calls(stub.OpList); n != 1 {
					t.Errorf("list calls = %d, want 1 to check", n)
				}
			})
		}
	}
}

func TestListReadsEveryShape(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	s.SetBehaviour(stub.Behaviour{ListAsSubscribed: true, ExtraFields: true})
	if _, err := s.Add("", "lead/created", hook); err != nil {
		t.Fatal(err)
	}
	subs, err := c.ListSubscriptions(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	want := Subscription{ID: "1001", Entity: "lead", EventType: "created", TargetURL: hook}
	if len(subs) != 1 || subs[0] != want {
		t.Errorf("ListSubscriptions = %+v, want [%+v]", subs, want)
	}
}

func TestScopesDoNotMix(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	if _, err := s.Add("biz-a", "client/created", hook); err != nil {
		t.Fatal(err)
	}
	a, err := c.ListSubscriptions(t.Context(), "biz-a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.ListSubscriptions(t.Context(), "biz-b")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 1 || len(b) != 0 {
		t.Errorf("biz-a sees %d, biz-b sees %d; want 1 and 0", len(a), len(b))
	}
}

func TestFind(t *testing.T) {
	subs := []Subscription{
		{ID: "1", Entity: "client", EventType: "create", TargetURL: hook},
		{ID: "2", Entity: "meeting", EventType: "scheduled", TargetURL: hook},
		{ID: "3", Entity: "client", EventType: "create", TargetURL: hook + "/"},
	}
	tests := []struct {
		name, id, event, url string
		wantID               string
	}{
		{"by id", "2", "", "", "2"},
		{"by id and pair", "1", "client/created", hook, "1"},
		{"by alias pair", "", "lead/created", hook, "1"},
		{"exact URL only", "", "client/created", hook + "/", "3"},
		{"alias entity", "", "appointment/scheduled", hook, "2"},
		{"stale id, pair still found", "99", "appointment/scheduled", hook, "2"},
		{"id of another pair is no match", "2", "client/created", hook, "1"},
		{"case of the URL matters", "", "client/created", strings.ToUpper(hook), ""},
		{"unknown id alone", "99", "", "", ""},
		{"event without URL", "", "client/created", "", ""},
	}
	for _, tc := range tests {
		got, ok := Find(subs, tc.id, mustEvent(tc.event), tc.url)
		if ok != (tc.wantID != "") || got.ID != tc.wantID {
			t.Errorf("%s: Find = %+v, %v; want id %q", tc.name, got, ok, tc.wantID)
		}
	}
}

// A listed item keeps what the API listed, parsed or not; NamesAnEvent
// says whether it names an event an unsubscribe could send.
func TestSubscriptionNamesAnEvent(t *testing.T) {
	tests := []struct {
		sub  Subscription
		want bool
	}{
		{Subscription{Entity: "client", EventType: "create"}, true},
		{Subscription{}, false},
		{Subscription{Entity: " ", EventType: " "}, false},
		{Subscription{Entity: "client", EventType: "created/extra"}, false},
		{Subscription{Entity: "client", EventType: " created"}, false},
	}
	for _, tc := range tests {
		if got := tc.sub.NamesAnEvent(); got != tc.want {
			t.Errorf("%+v: NamesAnEvent = %v, want %v", tc.sub, got, tc.want)
		}
	}
}

func TestUnsubscribeRetriesWithTheListedSpelling(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	// This API only unsubscribes client/create, the spelling it lists.
	s.SetBehaviour(stub.Behaviour{UnsubscribeListedSpellingOnly: true})
	for _, event := range []string{"lead/created", "client/updated"} {
		if _, err := s.Add("", event, hook); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Unsubscribe(t.Context(), "", mustEvent("lead/created"), hook); err != nil {
		t.Fatal(err)
	}
	left := s.All()
	if len(left) != 1 || left[0].Event() != "client/update" {
		t.Errorf("left on the stub: %+v; want only client/update", left)
	}
	for _, req := range s.Requests() {
		if req.Op == stub.OpUnsubscribe && !strings.Contains(req.Body, `"event"`) {
			t.Errorf("an unsubscribe left out the event: %s", req.Body)
		}
	}
}

// mustEvent parses a test's event; "" is the zero Event, which Find reads as
// any event.
func mustEvent(s string) catalog.Event {
	if s == "" {
		return catalog.Event{}
	}
	event, err := catalog.ParseEvent(s)
	if err != nil {
		panic(err)
	}
	return event
}
