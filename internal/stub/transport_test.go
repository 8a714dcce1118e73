package stub

import (
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

func TestTransportServesInMemoryOnTheFakeClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New()
		s.SetLatency(time.Minute)
		s.SetFaults(FaultConfig{RetryAfter: "7"})
		s.FailNext(OpList, Fault429, 1)
		s.FailNext(OpList, FaultDrop, 1)
		client := &http.Client{Transport: s.Transport()}
		list := func() (*http.Response, error) {
			req, err := http.NewRequest(http.MethodGet, "http://stub.test"+pathList, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+DefaultToken)
			return client.Do(req)
		}

		start := time.Now()
		resp, err := list()
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "7" {
			t.Errorf("first list: %d with Retry-After %q, want 429 with 7", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if took := time.Since(start); took != time.Minute {
			t.Errorf("the answer took %s of the bubble's clock, want the minute of latency", took)
		}
		if resp, err := list(); !errors.Is(err, errDropped) {
			if err == nil {
				_ = resp.Body.Close()
			}
			t.Errorf("second list: %v, want the dropped connection", err)
		}
		resp, err = list()
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || s.Calls(OpList) != 3 {
			t.Errorf("third list: %d after %d calls, want 200 after 3", resp.StatusCode, s.Calls(OpList))
		}
	})
}
