# A database credential secret, encrypted with the data key, with a resource policy. Rotation
# is not declared: the emulator rotates only through a Lambda function it can invoke (see
# docs/types/data.md).
resource "aws_secretsmanager_secret" "db" {
  name                    = "data/db-credentials"
  description             = "records database credentials"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 7
  tags                    = { Name = "db-credentials" }
}

data "aws_iam_policy_document" "secret" {
  statement {
    sid       = "AppReads"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_secretsmanager_secret_policy" "db" {
  secret_arn = aws_secretsmanager_secret.db.arn
  policy     = data.aws_iam_policy_document.secret.json
}
