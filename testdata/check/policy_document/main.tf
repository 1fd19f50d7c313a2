# Policy documents rendered by the AWS provider 5.100.0 (`terraform apply` of these data
# sources with outputs for `json` and `minified_json`; the values are in rendered.json).
# plumb must render each exactly as the provider did.

data "aws_iam_policy_document" "basic" {
  statement {
    sid       = "ReadOnly"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["arn:aws:s3:::b/*", "arn:aws:s3:::b"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

data "aws_iam_policy_document" "principals" {
  policy_id = "key-policy"
  version   = "2012-10-17"
  statement {
    sid     = "Root"
    actions = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
  statement {
    sid     = "Many"
    actions = ["kms:Decrypt", "kms:Encrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/b", "arn:aws:iam::111122223333:role/a"]
    }
    principals {
      type        = "Service"
      identifiers = ["logs.amazonaws.com"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/c"]
    }
  }
  statement {
    sid         = "Everyone"
    not_actions = ["iam:*"]
    not_resources = ["arn:aws:s3:::x"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-1", "o-2"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:logs:*"]
    }
  }
  statement {
    sid = "NotPrincipal"
    effect = "Deny"
    actions = ["s3:*"]
    resources = ["*"]
    not_principals {
      type = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.basic.json]
  override_policy_documents = [jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "ReadOnly", Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }] })]
  statement {
    sid       = "Extra"
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
  statement {
    actions   = ["sns:Publish"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "empty" {}

data "aws_iam_policy_document" "same_cond" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:x"
      values   = ["a"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:x"
      values   = ["b"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:y"
      values   = []
    }
  }
}

data "aws_iam_policy_document" "order" {
  statement {
    actions   = ["b:x", "a:x", "c:x", "a:x"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*", "arn:aws:iam::1:root"]
    }
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:z"
      values   = ["o-2", "o-1", "o-3"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:a"
      values   = ["x&y<z>"]
    }
  }
  statement {
    sid = "noact"
    effect = "Allow"
  }
}

resource "aws_iam_policy" "basic" {
  name   = "basic"
  policy = data.aws_iam_policy_document.basic.json
}

resource "aws_iam_policy" "principals" {
  name   = "principals"
  policy = data.aws_iam_policy_document.principals.json
}

resource "aws_iam_policy" "merged" {
  name   = "merged"
  policy = data.aws_iam_policy_document.merged.json
}

resource "aws_iam_policy" "empty" {
  name   = "empty"
  policy = data.aws_iam_policy_document.empty.json
}

resource "aws_iam_policy" "same_cond" {
  name   = "same_cond"
  policy = data.aws_iam_policy_document.same_cond.json
}

resource "aws_iam_policy" "order" {
  name   = "order"
  policy = data.aws_iam_policy_document.order.json
}

resource "aws_iam_policy" "basic_min" {
  name   = "basic_min"
  policy = data.aws_iam_policy_document.basic.minified_json
}
