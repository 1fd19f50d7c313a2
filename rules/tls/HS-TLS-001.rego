# METADATA
# title: Load balancer TLS listener allows TLS versions before 1.2
# description: >-
#   An HTTPS or TLS listener (`aws_lb_listener`, `aws_alb_listener`) must use a security
#   policy with a TLS 1.2 floor: `ELBSecurityPolicy-TLS13-1-2-*`, `-TLS13-1-3-*`,
#   `-TLS-1-2-*` or `-FS-1-2-*`. Omitted, AWS applies `ELBSecurityPolicy-2016-08`, which
#   accepts TLS 1.0. Classic load balancers are not covered.
# custom:
#   id: HS-TLS-001
#   severity: high
#   resource_types: [lb_listener]
#   controls:
#     hipaa: []
#     soc2: []
#     gdpr: []
#   rationale: >-
#     TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade attacks; HIPAA
#     guidance points at NIST SP 800-52, which requires TLS 1.2 or later for ePHI in
#     transit. Deliberate difference from checkov: CKV_AWS_103 accepts a fixed list of
#     policy names; Plumb accepts any policy of the TLS 1.2+ families, so newer ones pass
#     without an update, and rejects the TLS13-1-0/1-1 variants.
#     Plain HTTP listeners are HS-TLS-002's concern; checkov's CKV_AWS_103 also fails them
#     here.
#   remediation: >-
#     Set `ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"` (or a FIPS/FS variant with
#     a 1.2 floor).
#   fix:
#     judges: [ssl_policy, protocol]
#     changes:
#       - on: [aws_lb_listener, aws_alb_listener]
#         set: {ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06}
#   examples:
#     fail: |
#       resource "aws_lb_listener" "web" {
#         load_balancer_arn = aws_lb.web.arn
#         port              = 443
#         protocol          = "HTTPS"
#         ssl_policy        = "ELBSecurityPolicy-2016-08"
#         certificate_arn   = aws_acm_certificate.web.arn
#         default_action {
#           type             = "forward"
#           target_group_arn = aws_lb_target_group.web.arn
#         }
#       }
#     pass: |
#       resource "aws_lb_listener" "web" {
#         load_balancer_arn = aws_lb.web.arn
#         port              = 443
#         protocol          = "HTTPS"
#         ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#         certificate_arn   = aws_acm_certificate.web.arn
#         default_action {
#           type             = "forward"
#           target_group_arn = aws_lb_target_group.web.arn
#         }
#       }
package plumb.rules.hs_tls_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.tls == true
	v.modern_tls_policy == false
	msg := sprintf("listener %s uses %s, which accepts TLS versions before 1.2", [v.name, v.ssl_policy])
}
