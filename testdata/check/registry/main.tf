# Registry and git modules, after `terraform init`: .terraform/modules/modules.json maps
# each call to the directory its code was installed in, and findings point into it. The
# module code under .terraform/modules/ is written for this fixture: it reproduces the
# constructs of popular community modules (legacy splats and concat()[0] around them,
# rule catalogues read with lookup(), for-expressions over toset(), policy documents built
# from dynamic statements), not their code.

# A registry submodule (`//modules/postgres`) that calls its package root with `../../`.
# Violation (HS-NET-001): PostgreSQL open to the internet.
module "db_sg" {
  source  = "example-org/security-group/aws//modules/postgres"
  version = "5.3.0"

  name                = "records-db"
  vpc_id              = "vpc-0123456789abcdef0"
  ingress_cidr_blocks = ["0.0.0.0/0"]
}

# The package root itself. Violation (HS-NET-001): 8080-8090 open to the internet, given
# as a list of maps (strings, as `map(string)` makes them).
module "web_sg" {
  source  = "example-org/security-group/aws"
  version = "5.3.0"

  name            = "web"
  vpc_id          = "vpc-0123456789abcdef0"
  use_name_prefix = true
  ingress_with_cidr_blocks = [
    { from_port = 8080, to_port = 8090, protocol = "tcp", cidr_blocks = "0.0.0.0/0", description = "app ports" },
    { rule = "https", cidr_blocks = "10.0.0.0/8" },
  ]
}

# A git module. Violation (HS-KMS-004): a statement for every principal, rendered from
# `data "aws_iam_policy_document"`.
module "keys" {
  source = "git::https://git.example.com/platform/kms.git?ref=v2.1.0"

  description = "records key"
  aliases     = ["records", "records-archive"]
  key_statements = [
    {
      sid        = "PartnerRead"
      actions    = ["kms:Decrypt"]
      resources  = ["*"]
      principals = [{ type = "AWS", identifiers = ["*"] }]
    }
  ]
}

# Not installed (the manifest has no entry): not checked, and a note says so.
module "vpc" {
  source  = "example-org/vpc/aws"
  version = "6.0.0"
}
