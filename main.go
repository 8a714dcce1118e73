// Command terraform-provider-vcita serves the vcita Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/vcita/terraform-provider-vcita/internal/provider"
)

// version is stamped at release time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0 generate --provider-name vcita

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/vcita/vcita",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
