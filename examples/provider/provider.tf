terraform {
  required_version = ">= 1.5.0"

  required_providers {
    circleci = {
      source  = "circleci-access/circleci"
      version = "~> 0.1"
    }
  }
}

# The usual setup: every setting comes from the environment.
#   export CIRCLECI_TOKEN=...            # a personal API token
#   export CIRCLECI_ORG_ID=3f1c7b4e-...  # optional default organization
provider "circleci" {}

# Every setting can also be written out. Keep the token out of the
# configuration: pass it in through a sensitive variable or CIRCLECI_TOKEN.
variable "circleci_token" {
  description = "CircleCI personal API token (User Settings → Personal API Tokens); null: the provider reads CIRCLECI_TOKEN."
  type        = string
  sensitive   = true
  default     = null
}

provider "circleci" {
  alias           = "server"
  api_token       = var.circleci_token
  host            = "https://circleci.example.com" # CircleCI Server; default https://circleci.com
  organization_id = "3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
  max_retries     = 3
  request_timeout = "30s"
}
