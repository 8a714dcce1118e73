package stub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:0":          true,
		"127.0.0.1:8080":       true,
		"127.1.2.3:0":          true,
		"[::1]:0":              true,
		"localhost:0":          true,
		"LOCALHOST:9":          true,
		"[::ffff:127.0.0.1]:0": true,
		"0.0.0.0:0":            false,
		":0":                   false,
		"[::]:0":               false,
		"192.168.1.10:80":      false,
		"10.0.0.1:0":           false,
		"example.com:80":       false,
		"localhost.example:0":  false,
		"127.0.0.1":            false,
		"":                     false,
	}
	for addr, ok := range tests {
		err := CheckLoopback(addr)
		if (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v, want ok %v", addr, err, ok)
		}
		if err != nil && !errors.Is(err, ErrNotLoopback) {
			t.Errorf("CheckLoopback(%q) = %v, not ErrNotLoopback", addr, err)
		}
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0"} {
		called := false
		err := New().Serve(context.Background(), addr, func(string) { called = true })
		if !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Serve(%q) = %v, want ErrNotLoopback", addr, err)
		}
		if called {
			t.Errorf("Serve(%q) called ready", addr)
		}
	}
}

func TestServe(t *testing.T) {
	s := New("tok")
	if s.URL() != "" {
		t.Fatalf("URL() = %q before serving", s.URL())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, "127.0.0.1:0", func(u string) { ready <- u }) }()

	var base string
	select {
	case base = <-ready:
	case err := <-served:
		t.Fatalf("Serve returned early: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("Serve never became ready")
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || s.URL() != base {
		t.Fatalf("ready(%q), URL() = %q", base, s.URL())
	}
	c := subscribeCall("", "client/created", "https://example.com/a")
	c.auth = "Token tok"
	c.do(t, s).expect(t, 201, `{"status":"OK","data":{"subscription_id":"1001"}}`)

	// A held request must not hold up the shutdown.
	s.FailNext(OpList, FaultTimeout, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		l := listCall("", "")
		l.auth = "Token tok"
		_, _ = l.try(t, s)
	}()
	for deadline := time.Now().Add(2 * time.Second); s.Faults() == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}

	start := time.Now()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve = %v after cancel, want nil", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not stop")
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("shutdown took %s", elapsed)
	}
	wg.Wait()
	if s.URL() != "" {
		t.Fatalf("URL() = %q after Serve returned", s.URL())
	}
	if resp, err := http.Get(base + pathList); err == nil {
		_ = resp.Body.Close()
		t.Fatal("still answering after Serve returned")
	}
}

func TestServeListenError(t *testing.T) {
	s := NewTestServer(t)
	addr := strings.TrimPrefix(s.URL(), "http://") // already taken
	err := New().Serve(context.Background(), addr, nil)
	if err == nil || errors.Is(err, ErrNotLoopback) {
		t.Fatalf("Serve on a busy port = %v, want a listen error", err)
	}
}

func TestNewTestServerURL(t *testing.T) {
	var s *Server
	t.Run("inner", func(t *testing.T) {
		s = NewTestServer(t)
		if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
			t.Fatalf("URL() = %q", s.URL())
		}
	})
	if s.URL() != "" {
		t.Fatalf("URL() = %q after the test's cleanup", s.URL())
	}
	if New().URL() != "" {
		t.Fatal("a server never started has a URL")
	}
}

func TestConcurrentSubscribes(t *testing.T) {
	s := NewTestServer(t)
	const workers, each = 16, 25
	var wg sync.WaitGroup
	ids := make(chan string, workers*each)
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				scope := fmt.Sprintf("biz-%d", w%3)
				a, err := subscribeCall(scope, "client/created", fmt.Sprintf("https://example.com/%d/%d", w, i)).try(t, s)
				if err != nil || a.status != 201 {
					errs <- fmt.Errorf("worker %d #%d: %w %d %s", w, i, err, a.status, a.body)
					continue
				}
				var body struct {
					Data struct {
						ID string `json:"subscription_id"`
					} `json:"data"`
				}
				if err := json.Unmarshal(a.body, &body); err != nil {
					errs <- err
					continue
				}
				ids <- body.Data.ID
			}
		}()
	}
	// Readers and duplicate writers at the same time, for the race detector.
	dupStatus := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = listCall("biz-0", "").try(t, s)
			a, err := subscribeCall("", "meeting/scheduled", "https://example.com/shared").try(t, s)
			if err != nil {
				errs <- err
				return
			}
			dupStatus <- a.status
		}()
	}
	wg.Wait()
	close(ids)
	close(errs)
	close(dupStatus)
	for err := range errs {
		t.Error(err)
	}

	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("id %s handed out twice", id)
		}
		seen[id] = true
	}
	if len(seen) != workers*each {
		t.Errorf("%d ids, want %d", len(seen), workers*each)
	}
	created := 0
	for status := range dupStatus {
		switch status {
		case 201:
			created++
		case 422:
		default:
			t.Errorf("concurrent duplicate: status %d", status)
		}
	}
	if created != 1 {
		t.Errorf("the same subscription was created %d times", created)
	}
	all := s.All()
	if len(all) != workers*each+1 {
		t.Fatalf("%d subscriptions stored, want %d", len(all), workers*each+1)
	}
	for i, sub := range all {
		if sub.ID != int64(firstID+i) {
			t.Fatalf("ids are not 1001..%d without gaps: %d at %d", firstID+len(all)-1, sub.ID, i)
		}
	}
	if n := s.Calls(OpSubscribe); n != workers*each+workers {
		t.Fatalf("Calls(subscribe) = %d, want %d", n, workers*each+workers)
	}
}

func TestMaxInFlight(t *testing.T) {
	// On the bubble's fake clock the three subscribes surely overlap during
	// their latency, however loaded the machine.
	synctest.Test(t, func(t *testing.T) {
		s := New()
		s.SetLatency(100 * time.Millisecond)
		var wg sync.WaitGroup
		for i := range 3 {
			wg.Go(func() {
				subscribeCall("", "client/created", fmt.Sprintf("https://example.com/%d", i)).withClient(inMemory(s)).do(t, s)
			})
		}
		wg.Wait()
		listCall("", "").withClient(inMemory(s)).do(t, s)
		if got := s.MaxInFlight(OpSubscribe); got != 3 {
			t.Errorf("MaxInFlight(subscribe) = %d, want 3", got)
		}
		if got := s.MaxInFlight(OpList); got != 1 {
			t.Errorf("MaxInFlight(list) = %d, want 1", got)
		}
		s.ResetCalls()
		if got := s.MaxInFlight(OpSubscribe); got != 0 {
			t.Errorf("after ResetCalls, MaxInFlight = %d", got)
		}
	})
}
