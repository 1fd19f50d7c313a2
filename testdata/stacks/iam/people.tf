# People: an auditors group with an inline and an AWS-managed policy, a console user in it
# (login profile), a CI user with an access key, and the account password policy.

resource "aws_iam_group" "auditors" {
  name = "clinic-auditors"
  path = "/clinic/"
}

resource "aws_iam_group_policy" "auditors_logs" {
  name  = "read-audit-logs"
  group = aws_iam_group.auditors.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:GetLogEvents", "logs:FilterLogEvents"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_group_policy_attachment" "auditors_security_audit" {
  group      = aws_iam_group.auditors.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/SecurityAudit"
}

resource "aws_iam_user" "auditor" {
  name = "dana.reyes"
  path = "/clinic/"
  tags = { Team = "compliance" }
}

resource "aws_iam_user_login_profile" "auditor" {
  user                    = aws_iam_user.auditor.name
  password_reset_required = true
}

resource "aws_iam_group_membership" "auditors" {
  name  = "clinic-auditors-members"
  group = aws_iam_group.auditors.name
  users = [aws_iam_user.auditor.name]
}

resource "aws_iam_user" "ci" {
  name = "ci-deployer"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 14
  password_reuse_prevention      = 24
  require_symbols                = true
  require_numbers                = true
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  allow_users_to_change_password = true
  max_password_age               = 90
}
