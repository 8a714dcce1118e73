package stub

import (
	"reflect"
	"strings"
	"testing"
)

func TestStateRestoresSubscriptionsAndTheNextID(t *testing.T) {
	t.Parallel()
	s := New()
	var saved []State
	s.OnChange(func(st State) { saved = append(saved, st) })
	mustAdd(t, s, "biz", "lead/created", "https://example.com/a")
	mustAdd(t, s, "", "client/updated", "https://example.com/b")
	mustAdd(t, s, "", "client/updated", "https://example.com/c")
	s.Remove(1003)
	if len(saved) != 4 {
		t.Fatalf("OnChange called %d times for 3 adds and a remove", len(saved))
	}
	want := State{NextID: 1004, Subscriptions: []StoredEvent{
		{ID: 1001, Business: "biz", Event: "lead/created", TargetURL: "https://example.com/a"},
		{ID: 1002, Event: "client/updated", TargetURL: "https://example.com/b"},
	}}
	if got := saved[3]; !reflect.DeepEqual(got, want) {
		t.Fatalf("saved state = %+v, want %+v", got, want)
	}

	// A new server restored from it lists the same subscriptions, in the
	// spelling they were subscribed with, and hands out no id twice.
	restarted := New()
	if err := restarted.Restore(saved[3]); err != nil {
		t.Fatal(err)
	}
	if got, want := restarted.All(), s.All(); !reflect.DeepEqual(got, want) {
		t.Fatalf("restored %+v, want %+v", got, want)
	}
	restarted.SetBehaviour(Behaviour{ListAsSubscribed: true})
	if got := restarted.All()[0].Event(); got != "lead/created" {
		t.Fatalf("the restored event lists as %q, want it as subscribed", got)
	}
	if sub := mustAdd(t, restarted, "", "client/created", "https://example.com/d"); sub.ID != 1004 {
		t.Fatalf("next id after a restore = %d, want 1004", sub.ID)
	}
	// An API unsubscribe and a Reset are changes too.
	unsubscribeCall("").withClient(inMemory(s)).do(t, s) // the token's scope: nothing of biz
	s.Reset()
	if last := saved[len(saved)-1]; last.NextID != firstID || len(last.Subscriptions) != 0 {
		t.Fatalf("after Reset the saved state is %+v", last)
	}
}

func TestRestoreRefusesAStateItCouldNotHaveWritten(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		st   State
		says string
	}{
		"bad event": {State{Subscriptions: []StoredEvent{{ID: 1, Event: "client", TargetURL: "https://a"}}}, "subscription 1"},
		"no url":    {State{Subscriptions: []StoredEvent{{ID: 2, Event: "client/created"}}}, "no target_url"},
		"id twice":  {State{Subscriptions: []StoredEvent{{ID: 3, Event: "client/created", TargetURL: "https://a"}, {ID: 3, Event: "client/updated", TargetURL: "https://a"}}}, "used twice"},
	} {
		s := New()
		mustAdd(t, s, "", "client/created", "https://kept")
		err := s.Restore(tc.st)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: Restore = %v, want an error saying %q", name, err, tc.says)
		}
		if len(s.All()) != 1 {
			t.Errorf("%s: a refused Restore changed the subscriptions", name)
		}
	}
	s := New()
	if err := s.Restore(State{NextID: 5, Subscriptions: []StoredEvent{{ID: 2000, Event: "client/created", TargetURL: "https://a"}}}); err != nil {
		t.Fatal(err)
	}
	if sub := mustAdd(t, s, "", "client/updated", "https://a"); sub.ID != 2001 {
		t.Fatalf("a next id below the ids in use gave id %d, want 2001", sub.ID)
	}
}
