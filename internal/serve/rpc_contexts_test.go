package serve

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/vcita/terraform-provider-vcita/internal/provider"
)

// heapBytes is the heap in use after a collection.
func heapBytes() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

type payloadKey struct{}

// retainedPerRPC serves rpcs resource RPCs, half of them validations and
// half reads, each with 10 KiB in its context, as terraform-plugin-go's
// logging fields are, and returns how much of the heap they leave behind,
// per RPC.
func retainedPerRPC(t *testing.T, server tfprotov6.ProviderServer, rpcs int) uint64 {
	t.Helper()
	payload := func() context.Context { return context.WithValue(t.Context(), payloadKey{}, make([]byte, 10<<10)) }
	before := heapBytes()
	for range rpcs / 2 {
		if _, err := server.ValidateResourceConfig(payload(), &tfprotov6.ValidateResourceConfigRequest{TypeName: "vcita_no_such_thing"}); err != nil {
			t.Fatal(err)
		}
		if _, err := server.ReadResource(payload(), &tfprotov6.ReadResourceRequest{TypeName: "vcita_no_such_thing"}); err != nil {
			t.Fatal(err)
		}
	}
	after := heapBytes()
	runtime.KeepAlive(server)
	if after < before {
		return 0
	}
	return (after - before) / uint64(rpcs)
}

func TestFrameworkKeepsEveryRPCContext(t *testing.T) {
	// The framework's own server, as providerserver.Serve serves it: what
	// releasingServer is for. When this fails, the framework lets go of
	// contexts itself, and rpc_contexts.go can go.
	server := providerserver.NewProtocol6(provider.New("test")())()
	if got := retainedPerRPC(t, server, 2000); got < 10<<10 {
		t.Fatalf("the framework kept %d bytes per RPC, want the 10 KiB context it is known to keep", got)
	}
}

func TestReleasingServerLetsGoOfRPCContexts(t *testing.T) {
	server := newServer(provider.New("test")())
	if _, ok := server.(releasingServer); !ok {
		t.Fatalf("newServer served %T: the framework's server lacks a part of frameworkServer", server)
	}
	if got := retainedPerRPC(t, server, 2000); got > 1<<10 {
		t.Fatalf("%d bytes per RPC are kept after it returned, want a few words", got)
	}
}

func TestReleasingServerServesEveryMethodOfTheFramework(t *testing.T) {
	// tf6server finds optional parts by type assertions: a method of the
	// framework's server that releasingServer lacks would switch that part
	// off. Add its interface to frameworkServer.
	framework := reflect.TypeOf(providerserver.NewProtocol6(provider.New("test")())())
	ours := reflect.TypeFor[releasingServer]()
	for i := range framework.NumMethod() {
		name := framework.Method(i).Name
		if _, ok := ours.MethodByName(name); !ok {
			t.Errorf("releasingServer lacks %s", name)
		}
	}
}

func TestReleasableContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(t.Context(), payloadKey{}, "value"))
	defer cancel()
	rc := newReleasableContext(parent)
	// As the framework derives its context from it.
	child, stop := context.WithCancel(rc)
	defer stop()

	if got := rc.Value(payloadKey{}); got != "value" {
		t.Fatalf("Value = %v during the RPC, want the RPC's", got)
	}
	if rc.Err() != nil || child.Err() != nil {
		t.Fatalf("ended before the RPC returned: %v, %v", rc.Err(), child.Err())
	}

	rc.release()
	if got := rc.Value(payloadKey{}); got != nil {
		t.Fatalf("Value = %v after release, want nothing", got)
	}
	if !errors.Is(rc.Err(), context.Canceled) {
		t.Fatalf("Err = %v after release, want context.Canceled", rc.Err())
	}
	select {
	case <-rc.Done():
	default:
		t.Fatal("Done is open after release")
	}
	if _, ok := rc.Deadline(); ok {
		t.Fatal("a deadline after release")
	}
}

func TestReleasableContextPassesOnCancellation(t *testing.T) {
	// StopProvider cancels the RPC's context: the framework's context,
	// derived from the releasable one, must end with it.
	parent, cancel := context.WithCancel(t.Context())
	rc := newReleasableContext(parent)
	defer rc.release()
	child, stop := context.WithCancel(rc)
	defer stop()
	cancel()
	<-child.Done()
	if !errors.Is(child.Err(), context.Canceled) {
		t.Fatalf("child Err = %v, want context.Canceled", child.Err())
	}
}
