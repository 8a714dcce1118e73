package vcita

import (
	"context"
	"errors"
	"sync"
	"time"
)

// backoffGate is the back-off every request of a Client shares. When the API
// throttles one request (429, 503), it is telling the whole client to slow
// down: a rate limit counts the token's requests, and one provider process
// has one token and one Client. So a throttle answer shuts the gate for the
// wait it asked for, and every request, of any resource, waits at the gate
// before it is sent, instead of running into the same limit and multiplying
// the 429s. The zero value is open.
type backoffGate struct {
	mu sync.Mutex
	// until is the instant before which no request is sent.
	until time.Time
}

// holdFor keeps every request from being sent for d from now, unless the
// gate is already shut for longer.
func (g *backoffGate) holdFor(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until := time.Now().Add(d); until.After(g.until) {
		g.until = until
	}
}

// errGateBeyondBudget is the gate shut until after the caller's deadline.
var errGateBeyondBudget = errors.New("the back-off gate stays shut past the call's deadline")

// wait returns once the gate is open, or with ctx's error as soon as ctx
// ends. A hold pushed further while it waits is waited for too. A hold that
// ends after ctx's deadline is not waited for at all: errGateBeyondBudget
// at once.
func (g *backoffGate) wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		until := g.until
		g.mu.Unlock()
		left := time.Until(until)
		if left <= 0 {
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && until.After(deadline) {
			return errGateBeyondBudget
		}
		if err := sleep(ctx, left); err != nil {
			return err
		}
	}
}
