// Command terraform-provider-vcita serves the vcita Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/vcita/terraform-provider-vcita/internal/provider"
)

// version is stamped at release time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

// address is the provider's address in the registry.
const address = "registry.terraform.io/vcita/vcita"

//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0 generate --provider-name vcita

// main serves what providerserver.Serve would, through newServer, so that
// what finished RPCs held is let go (rpc_contexts.go), and sets no soft
// memory limit: none is needed. Measured by `make bench` before logs were
// turned off (provider CPU time per plan with refresh, peak provider RSS;
// BENCHMARKS.md, "Memory"):
//
//	                                N = 300          N = 1000
//	framework as is, no limit       0.86 s, 63 MiB   2.84 s, 147 MiB
//	framework as is, 72 MiB limit   0.86 s, 64 MiB   5.58 s,  96 MiB
//	newServer, no limit             0.83 s, 30 MiB   2.48 s,  33 MiB
func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debugMode {
		// Logs go to the developer's terminal.
		opts = append(opts, tf6server.WithManagedDebug())
	} else if err := turnOffUnshownLogs(); err != nil {
		log.Fatal(err.Error())
	}
	err := tf6server.Serve(address, func() tfprotov6.ProviderServer { return newServer(provider.New(version)()) }, opts...)
	if profErr := writeHeapProfile(); profErr != nil {
		log.Print(profErr.Error())
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}
