# The edge: an internet-facing ALB with an HTTPS listener on an ACM certificate and an HTTP
# listener redirecting to it, a target group, a CloudFront distribution in front, a Lambda
# function.

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "edge" {
  cidr_block = "10.40.0.0/16"
  tags       = { Name = "edge" }
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.edge.id
  cidr_block        = cidrsubnet(aws_vpc.edge.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
  tags              = { Name = "edge-public-${count.index}" }
}

resource "aws_security_group" "alb" {
  name        = "edge-alb"
  description = "HTTPS from the internet"
  vpc_id      = aws_vpc.edge.id
  tags        = { Name = "edge-alb" }
}

resource "aws_acm_certificate" "web" {
  domain_name               = "portal.clinic.example"
  subject_alternative_names = ["www.portal.clinic.example"]
  validation_method         = "DNS"
  key_algorithm             = "RSA_2048"
  tags                      = { Name = "portal" }
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb" "web" {
  name                       = "edge-web"
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = aws_subnet.public[*].id
  drop_invalid_header_fields = true
  idle_timeout               = 120
  tags                       = { Name = "edge-web" }
}

resource "aws_lb_target_group" "web" {
  name        = "edge-web"
  port        = 8443
  protocol    = "HTTPS"
  vpc_id      = aws_vpc.edge.id
  target_type = "ip"
  health_check {
    path     = "/healthz"
    protocol = "HTTPS"
    matcher  = "200"
  }
  tags = { Name = "edge-web" }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.web.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
  tags = { Name = "edge-https" }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
  tags = { Name = "edge-http" }
}

# CloudFront in front of the ALB: TLS 1.2 for viewers on the certificate, HTTPS to the origin.
resource "aws_cloudfront_distribution" "portal" {
  enabled         = true
  comment         = "portal"
  aliases         = ["portal.clinic.example"]
  price_class     = "PriceClass_100"
  is_ipv6_enabled = true

  # The ALB's public name (a DNS alias), so that the distribution does not wait for the ALB.
  origin {
    domain_name = "origin.portal.clinic.example"
    origin_id   = "alb"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "alb"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    forwarded_values {
      query_string = false
      cookies {
        forward = "none"
      }
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.web.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  tags = { Name = "portal" }
}

# A function with secrets-bearing environment variables (never printed by Plumb).
variable "db_password" {
  type      = string
  sensitive = true
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "edge-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_lambda_function" "api" {
  function_name    = "edge-api"
  role             = aws_iam_role.lambda.arn
  handler          = "index.handler"
  runtime          = "python3.12"
  filename         = "${path.module}/lambda/handler.zip"
  source_code_hash = filebase64sha256("${path.module}/lambda/handler.zip")
  memory_size      = 256
  timeout          = 10
  environment {
    variables = {
      DB_HOST     = "records.internal"
      DB_PASSWORD = var.db_password
    }
  }
  tags = { Name = "edge-api" }
}
