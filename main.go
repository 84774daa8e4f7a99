// Command terraform-provider-circleci is the CircleCI Terraform/OpenTofu
// provider plugin; Terraform or OpenTofu starts it, it is not run by hand.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/circleci-access/terraform-provider-circleci/internal/provider"
)

// version is set by goreleaser via ldflags.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(provider.RegistryAddress, provider.NewProtocol6(version), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
