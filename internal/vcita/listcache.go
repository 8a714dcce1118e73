package vcita

import (
	"cmp"
	"context"
	"sync"
	"time"
)

// listCache shares list calls between the callers of one Client.
//
// Terraform refreshes every resource with its own Read, ten at a time. If
// each Read listed, a plan of N subscriptions would cost N list calls. Here,
// concurrent callers join one in-flight request, and later callers reuse its
// answer, so a plan costs one list call per business scope.
//
// Freshness is exact, not time-based. Each scope counts the writes (subscribe
// and unsubscribe calls) this client has finished: its generation. A list
// remembers the generation at which it started, and answers only callers
// that ask for that generation or an older one. A caller asks for the
// generation current when it calls, so a list that started before a write
// finished never answers a caller that came after the write.
type listCache struct {
	fetch func(ctx context.Context, business string) ([]Subscription, error)
	// budget is the time budget of a caller whose context has no deadline;
	// 0 means DefaultMaxElapsed.
	budget time.Duration

	mu     sync.Mutex
	scopes map[string]*scopeState
}

type scopeState struct {
	// generation counts the writes to this scope finished by this client.
	generation uint64
	// pairWrites holds, for each pair written, the generation its last
	// write finished at.
	pairWrites map[string]uint64
	// latest is the newest list request, running or answered. A failed
	// request is dropped at once: errors are never cached.
	latest *listFlight
}

type listFlight struct {
	generation uint64
	done       chan struct{}
	subs       []Subscription
	err        error
	// waiters counts the callers waiting on the flight; when the last one
	// gives up before it ends, the request is cancelled (stop) and the
	// flight abandoned: no caller joins it any more. Both under
	// listCache.mu.
	waiters   int
	abandoned bool
	stop      context.CancelFunc
	// deadline is the latest deadline of the callers that waited on the
	// flight: the request's time budget (flightContext). Under
	// listCache.mu.
	deadline time.Time
}

// flightContext is the context of a shared list request. It is cancelled
// when the last caller waiting on the request gives up, and its deadline is
// the one of the caller whose budget ends last, which moves later as
// callers join: the request runs for as long as someone may still use its
// answer, and no longer.
type flightContext struct {
	context.Context
	cache  *listCache
	flight *listFlight
}

func (f flightContext) Deadline() (time.Time, bool) {
	f.cache.mu.Lock()
	defer f.cache.mu.Unlock()
	return f.flight.deadline, true
}

func (f *listFlight) finished() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

func newListCache(fetch func(ctx context.Context, business string) ([]Subscription, error)) *listCache {
	return &listCache{fetch: fetch, scopes: map[string]*scopeState{}}
}

// scope returns the state of business; c.mu must be held.
func (c *listCache) scope(business string) *scopeState {
	s, ok := c.scopes[business]
	if !ok {
		s = &scopeState{pairWrites: map[string]uint64{}}
		c.scopes[business] = s
	}
	return s
}

// current returns the scope's generation now.
func (c *listCache) current(business string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.scope(business).generation
}

// pairGeneration returns the generation after the last write of pair, or 0:
// a list at least that new shows whatever this client did to the pair.
func (c *listCache) pairGeneration(business, pair string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.scope(business).pairWrites[pair]
}

// noteWrite records a finished write (whatever its outcome: a failed write
// may still have changed the API).
func (c *listCache) noteWrite(business, pair string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.scope(business)
	s.generation++
	s.pairWrites[pair] = s.generation
}

// invalidate makes the next caller list again, for when a change is expected
// that this client did not make.
func (c *listCache) invalidate(business string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scope(business).generation++
}

// get returns a list of business's scope that started at minGeneration or
// later, joining or reusing one when it can and starting one when it must.
//
// At most one list per scope is in flight. A caller that needs a newer list
// than the one in flight waits for it to end and then starts the next one,
// which every caller whose write finished meanwhile shares: during an apply,
// where each create lists before its subscribe (newer than the last write of
// its own event and URL) and after an unclear answer, the lists follow one
// another instead of piling up, one per create.
//
// The request runs detached from any one caller's ctx: a caller that gives
// up returns at once, but the request goes on for the others waiting on it.
// When every caller has given up, it is cancelled: nobody wants its answer.
func (c *listCache) get(ctx context.Context, business string, minGeneration uint64) ([]Subscription, error) {
	for {
		flight, usable := c.flightFor(ctx, business, minGeneration)
		subs, err := c.await(ctx, flight)
		if usable || ctx.Err() != nil {
			return subs, err
		}
		// That was an older list still in flight: look again now it is done.
	}
}

// flightFor returns the flight a caller should wait on, counted as one more
// waiter, and whether its answer is usable (false: an older flight still
// running, to wait out).
func (c *listCache) flightFor(ctx context.Context, business string, minGeneration uint64) (*listFlight, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.scope(business)
	flight := s.latest
	usable := true
	switch {
	case flight != nil && flight.abandoned:
		flight = nil // being cancelled: start afresh
	case flight != nil && flight.generation >= minGeneration:
	case flight != nil && !flight.finished():
		usable = false
	default:
		flight = nil
	}
	if flight == nil {
		runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
		flight = &listFlight{generation: s.generation, done: make(chan struct{}), stop: stop}
		s.latest = flight
		go c.run(flightContext{Context: runCtx, cache: c, flight: flight}, business, flight)
	}
	flight.waiters++
	if deadline := c.deadlineOf(ctx); deadline.After(flight.deadline) {
		flight.deadline = deadline
	}
	return flight, usable
}

// deadlineOf is ctx's deadline, or the default budget from now.
func (c *listCache) deadlineOf(ctx context.Context) time.Time {
	if deadline, ok := ctx.Deadline(); ok {
		return deadline
	}
	return time.Now().Add(cmp.Or(c.budget, DefaultMaxElapsed))
}

func (c *listCache) await(ctx context.Context, flight *listFlight) ([]Subscription, error) {
	select {
	case <-flight.done:
		c.leave(flight)
		return flight.subs, flight.err
	case <-ctx.Done():
		c.leave(flight)
		return nil, ctx.Err()
	}
}

// leave counts a caller out of flight, and cancels the request when it was
// the last caller and the request is still running.
func (c *listCache) leave(flight *listFlight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	flight.waiters--
	if flight.waiters == 0 && !flight.finished() {
		flight.abandoned = true
		flight.stop()
	}
}

func (c *listCache) run(ctx context.Context, business string, flight *listFlight) {
	defer flight.stop()
	subs, err := c.fetch(ctx, business)

	c.mu.Lock()
	flight.subs, flight.err = subs, err
	if s := c.scope(business); err != nil && s.latest == flight {
		s.latest = nil
	}
	c.mu.Unlock()
	close(flight.done)
}
