package stub

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// inMemory returns a test client that reaches s through s.Transport, for
// tests in a testing/synctest bubble; s needs no listener.
func inMemory(s *Server) *http.Client {
	return &http.Client{Transport: s.Transport(), CheckRedirect: noRedirects}
}

func TestTransportServesInMemoryOnTheFakeClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New()
		s.SetLatency(time.Minute)
		s.SetFaults(FaultConfig{RetryAfter: "7"})
		s.FailNext(OpList, Fault429, 1)
		s.FailNext(OpList, FaultDrop, 1)
		list := listCall("", "").withClient(inMemory(s))

		start := time.Now()
		a := list.do(t, s)
		if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "7" {
			t.Errorf("first list: %d with Retry-After %q, want 429 with 7", a.status, a.header.Get("Retry-After"))
		}
		if took := time.Since(start); took != time.Minute {
			t.Errorf("the answer took %s of the bubble's clock, want the minute of latency", took)
		}
		if _, err := list.try(t, s); !errors.Is(err, errDropped) {
			t.Errorf("second list: %v, want the dropped connection", err)
		}
		if a := list.do(t, s); a.status != http.StatusOK || s.Calls(OpList) != 3 {
			t.Errorf("third list: %d after %d calls, want 200 after 3", a.status, s.Calls(OpList))
		}
	})
}

func TestRateLimitThrottlesTheRequestsOverIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New()
		s.SetFaults(FaultConfig{RateLimit: 2, Ops: []string{OpList}})
		statuses := func(n int) []int {
			var got []int
			for range n {
				a := listCall("", "").withClient(inMemory(s)).do(t, s)
				if a.status == http.StatusTooManyRequests && a.header.Get("Retry-After") != "1" {
					t.Errorf("a throttled list came with Retry-After %q, want 1", a.header.Get("Retry-After"))
				}
				got = append(got, a.status)
			}
			return got
		}
		// A full bucket serves a second's worth at once, then nothing
		// until it refills, at two requests a second.
		if got := statuses(3); !slices.Equal(got, []int{200, 200, 429}) {
			t.Errorf("at once: %v, want two served and the third throttled", got)
		}
		time.Sleep(500 * time.Millisecond)
		if got := statuses(2); !slices.Equal(got, []int{200, 429}) {
			t.Errorf("half a second later: %v, want one served", got)
		}
		// The bucket never holds more than a second's worth.
		time.Sleep(time.Hour)
		if got := statuses(3); !slices.Equal(got, []int{200, 200, 429}) {
			t.Errorf("an hour later: %v, want two served", got)
		}
		// Other ops are not limited, as with Rate.
		if a := subscribeCall("", "client/created", "https://example.com/a").withClient(inMemory(s)).do(t, s); a.status == http.StatusTooManyRequests {
			t.Error("a subscribe was throttled; only lists are limited")
		}
		if n := s.Faults(); n != 3 {
			t.Errorf("Faults() = %d, want the 3 throttled lists", n)
		}
	})
}
