# Instances as the community EC2 instance module's complete example builds them: a placement
# group, capacity reservations, an extra EBS volume attached by `aws_volume_attachment`, a tag
# put on a resource another tool owns (`aws_ec2_tag`), a key pair.

data "aws_ami" "linux" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["amzn2-ami-hvm-*"]
  }
}

resource "aws_key_pair" "deployer" {
  key_name   = "${local.name}-deployer"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHtNlNnPYMFIhf6fdX1ep94bxkDD2Jw5F8MkUKhsKR4S reach@example"
  tags       = { Name = "${local.name}-deployer" }
}

resource "aws_instance" "this" {
  ami           = data.aws_ami.linux.id
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private[0].id
  key_name      = aws_key_pair.deployer.key_name
  tags          = { Name = "${local.name}-app" }
}

resource "aws_ebs_volume" "this" {
  availability_zone = aws_instance.this.availability_zone
  size              = 1
  tags              = { Name = "${local.name}-data" }
}

resource "aws_volume_attachment" "this" {
  device_name = "/dev/sdh"
  instance_id = aws_instance.this.id
  volume_id   = aws_ebs_volume.this.id
}

# The instance's network interface is created by the launch (AWS's); the module tags it
# after the fact with one `aws_ec2_tag` per tag.
resource "aws_ec2_tag" "eni" {
  for_each = { Team = "platform", CostCenter = "1234" }

  resource_id = aws_instance.this.primary_network_interface_id
  key         = each.key
  value       = each.value
}

resource "aws_placement_group" "web" {
  name     = "${local.name}-web"
  strategy = "cluster"
}

resource "aws_placement_group" "spread" {
  name         = "${local.name}-spread"
  strategy     = "spread"
  spread_level = "rack"
  tags         = { Name = "${local.name}-spread" }
}

resource "aws_ec2_capacity_reservation" "this" {
  for_each = toset(["open", "targeted"])

  instance_type           = "t3.micro"
  instance_platform       = "Linux/UNIX"
  availability_zone       = "us-east-1a"
  instance_count          = 1
  instance_match_criteria = each.key
  tags                    = { Name = "${local.name}-${each.key}" }
}
