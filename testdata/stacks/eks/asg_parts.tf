# What configures the self-managed group, each as its own resource the way the community
# autoscaling module keeps them: scaling policies (target tracking and step), a recurring
# scheduled action, a lifecycle hook, a target group attachment, notifications to an SNS topic;
# and, as the community EKS module does for the cluster autoscaler, a tag on the Auto Scaling
# group EKS made for the managed node group.

locals {
  batch_policies = {
    cpu = {
      policy_type = "TargetTrackingScaling"
      target      = 50
    }
  }
}

resource "aws_autoscaling_policy" "batch" {
  for_each                  = local.batch_policies
  name                      = "clinic-batch-${each.key}"
  autoscaling_group_name    = aws_autoscaling_group.batch.name
  policy_type               = each.value.policy_type
  estimated_instance_warmup = 120

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = each.value.target
  }
}

resource "aws_autoscaling_policy" "batch_step" {
  name                    = "clinic-batch-backlog"
  autoscaling_group_name  = aws_autoscaling_group.batch.name
  policy_type             = "StepScaling"
  adjustment_type         = "ChangeInCapacity"
  metric_aggregation_type = "Average"

  step_adjustment {
    metric_interval_lower_bound = 0
    metric_interval_upper_bound = 10.5
    scaling_adjustment          = 1
  }

  step_adjustment {
    metric_interval_lower_bound = 10.5
    scaling_adjustment          = 2
  }
}

resource "aws_autoscaling_schedule" "night" {
  scheduled_action_name  = "clinic-batch-night"
  autoscaling_group_name = aws_autoscaling_group.batch.name
  recurrence             = "0 20 * * *"
  min_size               = 0
  max_size               = 1
  desired_capacity       = 0
}

resource "aws_autoscaling_lifecycle_hook" "drain" {
  name                   = "clinic-batch-drain"
  autoscaling_group_name = aws_autoscaling_group.batch.name
  lifecycle_transition   = "autoscaling:EC2_INSTANCE_TERMINATING"
  heartbeat_timeout      = 300
  default_result         = "CONTINUE"
}

resource "aws_lb_target_group" "batch" {
  name        = "clinic-batch"
  port        = 8080
  protocol    = "HTTP"
  vpc_id      = aws_vpc.eks.id
  target_type = "instance"
}

resource "aws_autoscaling_attachment" "batch" {
  autoscaling_group_name = aws_autoscaling_group.batch.name
  lb_target_group_arn    = aws_lb_target_group.batch.arn
}

resource "aws_sns_topic" "scaling" {
  name = "clinic-scaling"
}

resource "aws_autoscaling_notification" "batch" {
  group_names = [aws_autoscaling_group.batch.name]
  topic_arn   = aws_sns_topic.scaling.arn
  notifications = [
    "autoscaling:EC2_INSTANCE_LAUNCH",
    "autoscaling:EC2_INSTANCE_TERMINATE",
  ]
}

resource "aws_autoscaling_group_tag" "workers" {
  autoscaling_group_name = aws_eks_node_group.workers.resources[0].autoscaling_groups[0].name

  tag {
    key                 = "k8s.io/cluster-autoscaler/node-template/label/role"
    value               = "general"
    propagate_at_launch = false
  }
}
