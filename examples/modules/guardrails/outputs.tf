output "violations" {
  description = "Every broken rule: rule (the input's name), subject_kind (organization, user, context, project, schedule or trigger), subject_id, subject_name, detail; sorted by rule, subject_kind, subject_id, then detail. An answer the rule could not judge (a null the provider uses for \"not known\", variable names not all read) is a violation."
  value       = local.violations

  precondition {
    condition     = !var.enforce || length(local.violations) == 0
    error_message = "CircleCI guardrails broken (enforce = true):\n${join("\n", [for v in local.violations : "- ${v.rule}: ${v.subject_kind} ${v.subject_name} (${v.subject_id}): ${v.detail}"])}"
  }
}

output "ok" {
  description = "True when no rule is broken."
  value       = length(local.violations) == 0
}
