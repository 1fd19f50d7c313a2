# Compute: one instance (encrypted root volume, IMDSv2 required) and one encrypted data volume.

resource "aws_instance" "app" {
  ami                    = "ami-1e749f67" # an AMI moto knows (Ubuntu)
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.web.id]

  root_block_device {
    encrypted   = true
    volume_size = 8
    volume_type = "gp3"
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  tags = { Name = "clinic-app", DataClass = "phi" }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "${var.region}a"
  size              = 10
  type              = "gp3"
  encrypted         = true
  kms_key_id        = aws_kms_key.phi.arn
  tags              = { Name = "clinic-app-data", DataClass = "phi" }
}
