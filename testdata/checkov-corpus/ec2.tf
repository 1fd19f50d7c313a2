# EC2 and EBS.

resource "aws_instance" "good" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.private.id
  associate_public_ip_address = false
  monitoring                  = true
  ebs_optimized               = true
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
  root_block_device {
    encrypted = true
  }
}

resource "aws_instance" "bad" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 10
  }
}

resource "aws_instance" "implicit_root" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.public.id
  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_ebs_volume" "encrypted" {
  availability_zone = "eu-west-1a"
  size              = 10
  encrypted         = true
  kms_key_id        = aws_kms_key.rotated.arn
}

resource "aws_ebs_volume" "plain" {
  availability_zone = "eu-west-1a"
  size              = 10
}

resource "aws_ebs_encryption_by_default" "off" {
  enabled = false
}

resource "aws_launch_template" "imdsv1" {
  name          = "corpus-imdsv1"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "imdsv2" {
  name          = "corpus-imdsv2"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
}
