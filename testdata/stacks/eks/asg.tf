# A self-managed node group: an Auto Scaling group on its own launch template (IMDSv2,
# encrypted root volume), tagged for the cluster autoscaler with `dynamic "tag"` blocks.

resource "aws_launch_template" "batch" {
  name                   = "clinic-batch"
  image_id               = "ami-02b9a589195146a8f" # Amazon Linux 2 in the emulator
  instance_type          = "t3.medium"
  update_default_version = true
  user_data              = base64encode("#!/bin/bash\n/etc/eks/bootstrap.sh ${local.cluster_name}\n")

  iam_instance_profile {
    name = aws_iam_instance_profile.nodes.name
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = false
    security_groups             = [aws_security_group.nodes.id]
    delete_on_termination       = true
  }

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = 30
      encrypted             = true
      delete_on_termination = true
    }
  }

  tags = { Name = "clinic-batch" }
}

locals {
  batch_tags = {
    Name                                              = "clinic-batch"
    "k8s.io/cluster-autoscaler/enabled"               = "true"
    "k8s.io/cluster-autoscaler/${local.cluster_name}" = "owned"
  }
}

resource "aws_autoscaling_group" "batch" {
  name                      = "clinic-batch"
  min_size                  = 0
  max_size                  = 3
  desired_capacity          = 1
  vpc_zone_identifier       = aws_subnet.private[*].id
  health_check_type         = "EC2"
  health_check_grace_period = 120
  termination_policies      = ["OldestInstance", "Default"]
  suspended_processes       = ["AZRebalance"]

  launch_template {
    id      = aws_launch_template.batch.id
    version = "$Latest"
  }

  dynamic "tag" {
    for_each = local.batch_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
