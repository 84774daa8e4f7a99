package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// configureClient is the shared body of every data source's Configure.
func configureClient(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil // validation runs before the provider is configured
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Data Source Configure Type",
			fmt.Sprintf("Expected *providerData, got: %T. This is a bug in the provider, please report it.", req.ProviderData))
		return nil
	}
	return data
}

func notConfigured(resp *datasource.ReadResponse) {
	resp.Diagnostics.AddError("Provider Not Configured",
		"The data source was read before the circleci provider was configured. This is a bug in the provider, please report it.")
}
