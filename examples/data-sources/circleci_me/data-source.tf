# The user the provider's API token belongs to.
data "circleci_me" "current" {}

# Fail the plan when a pipeline runs with someone else's token.
resource "terraform_data" "token_owner" {
  input = data.circleci_me.current.login

  lifecycle {
    precondition {
      condition     = data.circleci_me.current.login == "audit-bot"
      error_message = "This configuration must run with the audit-bot's CircleCI token, not ${data.circleci_me.current.login}'s."
    }
  }
}
