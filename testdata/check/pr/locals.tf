locals {
  prefix      = format("clinic-%s", var.env)
  tags        = merge({ Environment = var.env }, { Owner = "platform" })
  admin_ports = toset(["22", "3389"])
  app_subnet  = cidrsubnet(var.vpc_cidr, 8, 1)
  protect     = var.env == "prod"
}
