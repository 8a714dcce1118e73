package vcita

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// fakeList is a list call whose answers the test releases by hand, so that
// the tests below are about ordering, never about timing. The tests run in
// a synctest bubble: synctest.Wait returns once every caller is blocked,
// waiting on a list.
type fakeList struct {
	calls   atomic.Int32
	release chan struct{}
	mu      sync.Mutex
	ctxs    []context.Context
	answer  func(call int32, business string) ([]Subscription, error)
	started chan string
}

func newFakeList() *fakeList {
	return &fakeList{
		release: make(chan struct{}),
		started: make(chan string, 100),
		answer: func(call int32, business string) ([]Subscription, error) {
			return []Subscription{{ID: fmt.Sprint(call), Entity: business}}, nil
		},
	}
}

// newAnsweringListCache returns a cache over a fake list that answers at
// once (already open).
func newAnsweringListCache() (*fakeList, *listCache) {
	f := newFakeList()
	f.open()
	return f, newListCache(f.fetch)
}

// checkCalls reports, with format (which has one %d for the count), when
// the fake has not been called exactly want times.
func (f *fakeList) checkCalls(t *testing.T, want int32, format string) {
	t.Helper()
	if n := f.calls.Load(); n != want {
		t.Errorf(format, n)
	}
}

func (f *fakeList) fetch(ctx context.Context, business string) ([]Subscription, error) {
	call := f.calls.Add(1)
	f.mu.Lock()
	f.ctxs = append(f.ctxs, ctx)
	f.mu.Unlock()
	f.started <- business
	select {
	case <-f.release:
		return f.answer(call, business)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ctx returns the context the list call numbered i (from 0) ran with.
func (f *fakeList) ctx(i int) context.Context {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ctxs[i]
}

// open lets every fetch, running or to come, answer at once.
func (f *fakeList) open() { close(f.release) }

func TestListCacheConcurrentCallersShareOneRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeList()
		c := newListCache(f.fetch)
		const callers = 20
		results := make(chan []Subscription, callers)
		for range callers {
			go func() {
				subs, err := c.get(context.Background(), "", 0)
				if err != nil {
					t.Error(err)
				}
				results <- subs
			}()
		}
		synctest.Wait()
		f.open()
		for range callers {
			if subs := <-results; len(subs) != 1 || subs[0].ID != "1" {
				t.Errorf("a caller got %+v, want the one shared answer", subs)
			}
		}
		f.checkCalls(t, 1, "list calls = %d, want 1")
		// A later caller reuses the answer: nothing was written since.
		if _, err := c.get(context.Background(), "", c.current("")); err != nil {
			t.Fatal(err)
		}
		f.checkCalls(t, 1, "list calls after a later read = %d, want still 1")
	})
}

func TestListCacheWriteForcesAFreshList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, c := newAnsweringListCache()
		first, _ := c.get(context.Background(), "", c.current(""))
		c.noteWrite("", "client/create https://x")
		second, _ := c.get(context.Background(), "", c.current(""))
		if f.calls.Load() != 2 || first[0].ID == second[0].ID {
			t.Errorf("after a write: calls = %d, answers %v and %v; want a second list", f.calls.Load(), first, second)
		}
	})
}

func TestListCacheListStartedBeforeAWriteDoesNotAnswerAfterIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeList()
		c := newListCache(f.fetch)

		early := make(chan []Subscription, 1)
		go func() {
			subs, _ := c.get(context.Background(), "", c.current(""))
			early <- subs
		}()
		<-f.started // the first list is in flight
		c.noteWrite("", "client/create https://x")

		// Callers after the write wait for the running list to end, then share
		// one new list: never the old answer, never one list each.
		const late = 5
		answers := make(chan []Subscription, late)
		for range late {
			go func() {
				subs, _ := c.get(context.Background(), "", c.current(""))
				answers <- subs
			}()
		}
		synctest.Wait()
		f.open()
		if subs := <-early; subs[0].ID != "1" {
			t.Errorf("the early caller got %v, want the first list", subs)
		}
		for range late {
			if subs := <-answers; subs[0].ID != "2" {
				t.Errorf("a caller after the write got %v, want the list started after it", subs)
			}
		}
		f.checkCalls(t, 2, "list calls = %d, want 2: the callers after the write share one")
	})
}

func TestListCacheBusinessesDoNotMix(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, c := newAnsweringListCache()
		a, _ := c.get(context.Background(), "biz-a", 0)
		b, _ := c.get(context.Background(), "biz-b", 0)
		if a[0].Entity != "biz-a" || b[0].Entity != "biz-b" || f.calls.Load() != 2 {
			t.Errorf("answers %v and %v after %d calls: scopes mixed", a, b, f.calls.Load())
		}
		c.noteWrite("biz-a", "pair")
		if _, err := c.get(context.Background(), "biz-b", c.current("biz-b")); err != nil || f.calls.Load() != 2 {
			t.Errorf("a write to biz-a must not refresh biz-b (calls = %d)", f.calls.Load())
		}
	})
}

func TestListCacheErrorsAreNotCached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeList()
		f.open()
		boom := errors.New("boom")
		f.answer = func(call int32, business string) ([]Subscription, error) {
			if call == 1 {
				return nil, boom
			}
			return []Subscription{{ID: "ok"}}, nil
		}
		c := newListCache(f.fetch)
		if _, err := c.get(context.Background(), "", 0); !errors.Is(err, boom) {
			t.Fatalf("first get = %v, want the error", err)
		}
		subs, err := c.get(context.Background(), "", 0)
		if err != nil || len(subs) != 1 || f.calls.Load() != 2 {
			t.Errorf("second get = %v, %v after %d calls; want a fresh, successful list", subs, err, f.calls.Load())
		}
	})
}

func TestListCacheCancelledCallerDoesNotCancelTheOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeList()
		c := newListCache(f.fetch)
		ctx, cancel := context.WithCancel(context.Background())
		cancelled := make(chan error, 1)
		go func() {
			_, err := c.get(ctx, "", 0)
			cancelled <- err
		}()
		<-f.started
		other := make(chan error, 1)
		go func() {
			_, err := c.get(context.Background(), "", 0)
			other <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-cancelled; !errors.Is(err, context.Canceled) {
			t.Errorf("the cancelled caller got %v", err)
		}
		synctest.Wait()
		if err := f.ctx(0).Err(); err != nil {
			t.Errorf("the shared request's context was cancelled while a caller waits: %v", err)
		}
		f.open()
		if err := <-other; err != nil {
			t.Errorf("the other caller got %v, want the shared answer", err)
		}
	})
}

func TestListCacheStopsTheRequestWhenEveryCallerGaveUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeList()
		c := newListCache(f.fetch)
		ctx, cancel := context.WithCancel(context.Background())
		const callers = 3
		errs := make(chan error, callers)
		for range callers {
			go func() {
				_, err := c.get(ctx, "", 0)
				errs <- err
			}()
		}
		synctest.Wait()
		cancel()
		for range callers {
			if err := <-errs; !errors.Is(err, context.Canceled) {
				t.Errorf("a cancelled caller got %v", err)
			}
		}
		synctest.Wait()
		if err := f.ctx(0).Err(); !errors.Is(err, context.Canceled) {
			t.Fatalf("the request nobody waits for goes on (its context: %v)", err)
		}
		// The next caller gets a list of its own, not the abandoned one.
		f.open()
		subs, err := c.get(context.Background(), "", 0)
		if err != nil || f.calls.Load() != 2 || subs[0].ID != "2" {
			t.Errorf("next get = %v, %v after %d calls; want a fresh list", subs, err, f.calls.Load())
		}
	})
}

func TestListCachePreExistenceSnapshotMaySkipUnrelatedWrites(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, c := newAnsweringListCache()
		if _, err := c.get(context.Background(), "", 0); err != nil {
			t.Fatal(err)
		}
		c.noteWrite("", "pair-a")
		// Another pair's snapshot may reuse the list: pair-b was not written.
		if _, err := c.get(context.Background(), "", c.pairGeneration("", "pair-b")); err != nil || f.calls.Load() != 1 {
			t.Errorf("calls = %d, want the list reused", f.calls.Load())
		}
		// pair-a's may not.
		if _, err := c.get(context.Background(), "", c.pairGeneration("", "pair-a")); err != nil || f.calls.Load() != 2 {
			t.Errorf("calls = %d, want a fresh list for the written pair", f.calls.Load())
		}
	})
}
