// Package serve is how the provider binary serves the provider to
// Terraform: the protocol 6 server (through releasingServer, which lets go
// of what finished RPCs held), the log levels when nobody reads the logs,
// and an optional heap profile at exit. main.go calls Serve and nothing else.
package serve

import (
	"log"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve serves the provider p makes at address until Terraform ends the
// process, as providerserver.Serve would, through newServer; debug serves
// it for a debugger such as delve, its logs on the developer's terminal.
//
// It sets no soft memory limit: none is needed. Measured by `make bench`
// before logs were turned off (provider CPU time per plan with refresh,
// peak provider RSS; BENCHMARKS.md, "Memory"):
//
//	                                N = 300          N = 1000
//	framework as is, no limit       0.86 s, 63 MiB   2.84 s, 147 MiB
//	framework as is, 72 MiB limit   0.86 s, 64 MiB   5.58 s,  96 MiB
//	newServer, no limit             0.83 s, 30 MiB   2.48 s,  33 MiB
func Serve(address string, p func() provider.Provider, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else if err := turnOffUnshownLogs(); err != nil {
		return err
	}
	err := tf6server.Serve(address, func() tfprotov6.ProviderServer { return newServer(p()) }, opts...)
	if profErr := writeHeapProfile(); profErr != nil {
		log.Print(profErr.Error())
	}
	return err
}
