# METADATA
# title: Load balancer HTTP listener does not redirect to HTTPS
# description: >-
#   An HTTP listener must answer only with a redirect to HTTPS: a `default_action` of
#   `type = "redirect"` with `redirect { protocol = "HTTPS" }`. An omitted `protocol` on
#   the listener is HTTP.
# custom:
#   id: HS-TLS-002
#   severity: high
#   resource_types: [lb_listener]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(4)(ii)(A)", "164.312(e)(1)", "164.312(e)(2)(i)"]
#     soc2: []
#     gdpr: []
#   rationale: >-
#     A listener that forwards plain HTTP serves the application, session cookies and
#     form posts without encryption to anyone on the path.
#   remediation: >-
#     Change the HTTP listener's `default_action` to `type = "redirect"` with `redirect {
#     port = "443" protocol = "HTTPS" status_code = "HTTP_301" }`, and serve the
#     application on an HTTPS listener.
#   fix:
#     judges: [default_action, protocol]
#   examples:
#     fail: |
#       resource "aws_lb_listener" "web" {
#         load_balancer_arn = aws_lb.web.arn
#         port              = 80
#         protocol          = "HTTP"
#         default_action {
#           type             = "forward"
#           target_group_arn = aws_lb_target_group.web.arn
#         }
#       }
#     pass: |
#       resource "aws_lb_listener" "web" {
#         load_balancer_arn = aws_lb.web.arn
#         port              = 80
#         protocol          = "HTTP"
#         default_action {
#           type = "redirect"
#           redirect {
#             port        = "443"
#             protocol    = "HTTPS"
#             status_code = "HTTP_301"
#           }
#         }
#       }
package plumb.rules.hs_tls_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.protocol == "HTTP"
	v.redirects_to_https == false
	msg := sprintf("HTTP listener %s serves traffic instead of redirecting to HTTPS", [v.name])
}
