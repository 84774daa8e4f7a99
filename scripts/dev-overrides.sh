# Sourced by scripts that run the freshly built provider through a real CLI
# (demo.sh, generate.sh). `dev_overrides WORK` builds the provider into
# WORK/plugins and points the CLI at it with a CLI configuration of our own
# (WORK/cli.tfrc): no init, no registry, nothing from the user's CLI
# configuration or TF_* variables. The configuration and the environment
# come from tools/cliharness, shared with the Go tests and `make bench`.
dev_overrides() {
  local out
  out="$(go run ./tools/cliharness/cmd/devoverrides "$1")" || return 1
  eval "$out"
}
