# Compute: an application instance with termination protection, user data and an instance
# profile, given a public address by an EIP association; a spot instance request; EBS
# encryption by default with a customer key.

resource "aws_iam_role" "app" {
  name = "net-app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_instance_profile" "app" {
  name = "net-app"
  role = aws_iam_role.app.name
}

resource "aws_instance" "app" {
  ami                                  = "ami-1e749f67"
  instance_type                        = "t3.micro"
  subnet_id                            = aws_subnet.public[0].id
  vpc_security_group_ids               = [aws_security_group.app.id]
  iam_instance_profile                 = aws_iam_instance_profile.app.name
  disable_api_termination              = true
  instance_initiated_shutdown_behavior = "stop"
  user_data                            = "#!/bin/sh\necho clinic-app > /etc/role\n"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    encrypted   = true
    volume_size = 8
    volume_type = "gp3"
  }

  tags = { Name = "net-app" }
}

resource "aws_eip" "app" {
  domain = "vpc"
  tags   = { Name = "net-app" }
}

resource "aws_eip_association" "app" {
  allocation_id = aws_eip.app.id
  instance_id   = aws_instance.app.id
}

resource "aws_spot_instance_request" "worker" {
  ami                  = "ami-1e749f67"
  instance_type        = "t3.micro"
  subnet_id            = aws_subnet.private["b"].id
  spot_type            = "one-time"
  wait_for_fulfillment = true

  tags = { Name = "net-worker" }
}

resource "aws_kms_key" "ebs" {
  description         = "EBS default key"
  enable_key_rotation = true
  tags                = { Name = "net-ebs" }
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.ebs.arn
}
