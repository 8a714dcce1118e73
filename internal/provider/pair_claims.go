package provider

import "sync"

// pairClaims counts, for each subscription (a business, an event up to its
// spellings, a target URL), the creates of one configured provider that
// subscribe it, so that an "already exists" can tell another resource of the
// same apply from a subscription made elsewhere: at apply both claim the
// pair before they subscribe, so whichever the API refuses sees the other's
// claim. A plan-time check would be possible (Terraform plans every
// resource of one provider configuration in one process: urlRegistry
// catches two resources on one URL that way), but for two
// vcita_webhook_subscription resources naming one subscription
// (client/created and lead/created on one URL) it is not made yet: the
// apply-time claim explains it. A nil *pairClaims counts nothing. It is
// safe for concurrent use.
type pairClaims struct {
	mu     sync.Mutex
	counts map[string]int
}

func newPairClaims() *pairClaims {
	return &pairClaims{counts: map[string]int{}}
}

// claim records a create of the subscription of targetURL to event in
// business; call it before subscribing.
func (c *pairClaims) claim(business, event, targetURL string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[claimKey(business, event, targetURL)]++
}

// count returns how many creates of this provider claimed the subscription.
func (c *pairClaims) count(business, event, targetURL string) int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[claimKey(business, event, targetURL)]
}

// claimKey identifies a subscription: its business, its event up to
// spellings (eventKey) and its exact target URL.
func claimKey(business, event, targetURL string) string {
	return business + "\x00" + eventKey(event) + "\x00" + targetURL
}
