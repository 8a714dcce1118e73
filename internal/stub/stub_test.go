package stub

import (
	"reflect"
	"testing"
)

// A malformed item is listed as stored, and only what removes every
// subscription of its URL removes it.
func TestAddMalformed(t *testing.T) {
	const a = "https://example.com/a"
	s := NewTestServer(t)
	mustAdd(t, s, "", "client/created", a)
	blank := s.AddMalformed("", " ", " ", a)
	extra := s.AddMalformed("", "client", "created/extra", a)
	if blank.ID != 1002 || extra.ID != 1003 || extra.Event() != "client/created/extra" {
		t.Fatalf("AddMalformed = %+v, %+v", blank, extra)
	}
	want := []listed{
		{1001, "client", "create", a},
		{1002, " ", " ", a},
		{1003, "client", "created/extra", a},
	}
	if got := listItems(t, s, "", ""); !reflect.DeepEqual(got, want) {
		t.Fatalf("list = %+v\nwant %+v", got, want)
	}

	// Neither an unsubscribe of the event it resembles nor a subscribe of it
	// touches the item.
	unsubscribeCall("client/created").do(t, s).expect(t, 200, `{"status":"OK","data":{"unsubscribed":true}}`)
	subscribeCall("", "client/created", a).do(t, s)
	if got := listItems(t, s, "", ""); len(got) != 3 || got[0] != want[1] || got[1] != want[2] {
		t.Fatalf("after unsubscribing and subscribing client/created: %+v", got)
	}
	if n := s.Calls(OpSubscribe); n != 1 {
		t.Fatalf("Calls(subscribe) = %d, want 1: AddMalformed is not a call", n)
	}

	// An unsubscribe without an event removes it, with everything else of
	// the URL, as the API does.
	unsubscribeCall("").do(t, s)
	if left := s.All(); len(left) != 0 {
		t.Fatalf("left after an unsubscribe without an event: %+v", left)
	}
}
