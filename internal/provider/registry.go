package provider

// RegistryAddress is the provider's source address, served by main.go and
// used in every example's required_providers block.
const RegistryAddress = "registry.terraform.io/" + registryPath

const registryPath = "circleci-access/circleci"
