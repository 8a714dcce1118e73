package serve

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// terraform-plugin-framework (v1.19.0, internal/proto6server/serve.go) keeps
// a cancel function for the context of every RPC it serves, so that
// StopProvider can cancel them all, and lets them go only when StopProvider
// comes: Terraform sends it only on an interrupt. Each cancel function holds
// its context, and with it everything the context holds: the loggers and
// logging fields terraform-plugin-go puts there, about 11 KiB an RPC, four
// RPCs a resource in a plan. A plan of 1000 subscriptions kept 46 MB alive
// to its end, which took the provider to 147 MiB, or to 96 MiB under a soft
// memory limit at which the garbage collector doubled the provider's CPU
// time (BENCHMARKS.md, "Memory").
//
// releasingServer serves the framework's server with, for each RPC Terraform
// makes once per resource or data source, a context that lets go of the
// RPC's context when the RPC returns. What the framework keeps is then a few
// words an RPC. Cancellation is unchanged: while the RPC runs, its context
// is the RPC's, and StopProvider still cancels it.

// frameworkServer is what the framework's server implements: the protocol,
// and the optional parts tf6server looks for (list resources, actions, state
// stores).
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// newServer returns the protocol 6 server of p. A framework whose server
// lacks one of the optional parts is served as it is, keeping its contexts.
func newServer(p provider.Provider) tfprotov6.ProviderServer {
	server := providerserver.NewProtocol6(p)()
	full, ok := server.(frameworkServer)
	if !ok {
		return server
	}
	return releasingServer{full}
}

// releasingServer is the framework's server, its per-resource RPCs served
// with releasable contexts. Every other RPC (a few per process, and the
// streaming ones, which go on after they return) is the framework's own.
type releasingServer struct{ frameworkServer }

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serveReleasing(ctx, req, s.frameworkServer.ReadDataSource)
}

// serveReleasing runs rpc on a context that is ctx until rpc returns.
func serveReleasing[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasableContext(ctx)
	defer rc.release()
	return rpc(rc, req)
}

// releasableContext is a context until release, and afterwards an ended
// context without values, which no longer holds the one it was: Done is
// closed, Err is context.Canceled, as the RPC's own context is once the RPC
// has returned. A goroutine that outlives its RPC on a context derived from
// it (the list request several Reads share) loses the RPC's loggers, and
// logs nothing more.
type releasableContext struct {
	ctx atomic.Pointer[context.Context]
}

// ended is the context a releasableContext becomes.
var ended = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func newReleasableContext(ctx context.Context) *releasableContext {
	rc := &releasableContext{}
	rc.ctx.Store(&ctx)
	return rc
}

func (rc *releasableContext) release() { rc.ctx.Store(&ended) }

func (rc *releasableContext) current() context.Context { return *rc.ctx.Load() }

func (rc *releasableContext) Deadline() (time.Time, bool) { return rc.current().Deadline() }

func (rc *releasableContext) Done() <-chan struct{} { return rc.current().Done() }

func (rc *releasableContext) Err() error { return rc.current().Err() }

func (rc *releasableContext) Value(key any) any { return rc.current().Value(key) }
