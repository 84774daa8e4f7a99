# Sourced by scripts that run the freshly built provider through a real CLI
# (demo.sh, generate.sh). dev_overrides WORK builds the provider into
# WORK/plugins and points the CLI at it with a CLI configuration of our own
# (WORK/cli.tfrc): no init, no registry, and nothing from the user's CLI
# configuration (which on the build machines names a file that does not exist).
dev_overrides() {
  local work="$1"
  mkdir -p "$work/plugins"
  go build -o "$work/plugins/terraform-provider-circleci" .
  cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "circleci-access/circleci" = "$work/plugins"
  }
  direct {}
}
CFG
  export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
  unset TF_LOG TF_LOG_PATH TF_PLUGIN_CACHE_DIR TF_DATA_DIR
}
