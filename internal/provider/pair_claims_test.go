package provider

import (
	"sync"
	"testing"
)

func TestPairClaimsCountEverySpellingOfOneSubscription(t *testing.T) {
	c := newPairClaims()
	var wg sync.WaitGroup
	for _, event := range []string{"client/created", "lead/created", "client/create"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.claim("biz", event, "https://h.example.com")
		}()
	}
	wg.Wait()
	if got := c.count("biz", "lead/create", "https://h.example.com"); got != 3 {
		t.Errorf("count = %d, want 3: the spellings name one subscription", got)
	}
	for name, got := range map[string]int{
		"another business":      c.count("", "client/created", "https://h.example.com"),
		"another URL":           c.count("biz", "client/created", "https://h.example.com/"),
		"another event":         c.count("biz", "client/updated", "https://h.example.com"),
		"nil, before Configure": (*pairClaims)(nil).count("biz", "client/created", "https://h.example.com"),
	} {
		if got != 0 {
			t.Errorf("%s: count = %d, want 0", name, got)
		}
	}
	(*pairClaims)(nil).claim("biz", "client/created", "u") // must not panic
}
