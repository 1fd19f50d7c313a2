# METADATA
# title: CloudFront distribution allows weak or plain-text viewer connections
# description: >-
#   A distribution must serve viewers over HTTPS only (`viewer_protocol_policy`
#   `redirect-to-https` or `https-only` in every cache behaviour), with
#   `viewer_certificate.minimum_protocol_version` `TLSv1.2_*` or later (the default
#   certificate allows TLSv1), and custom origins must not offer `SSLv3`, `TLSv1` or
#   `TLSv1.1`.
# custom:
#   id: HS-TLS-003
#   severity: medium
#   resource_types: [cloudfront_distribution]
#   controls:
#     hipaa: ["164.308(a)(4)(ii)(A)", "164.312(e)(1)"]
#     soc2: []
#     gdpr: ["Art. 32"]
#   rationale: >-
#     Patient portals and APIs behind CloudFront carry ePHI to browsers; allow-all viewer
#     policies or TLS 1.0 expose it on hostile networks, and weak origin protocols expose
#     it between edge and origin. Deliberate difference from checkov: CKV_AWS_174 checks
#     only the minimum protocol version; Plumb also checks viewer protocol policies and
#     origin protocols.
#   remediation: >-
#     Use an ACM certificate with `minimum_protocol_version = "TLSv1.2_2021"`, set every
#     `viewer_protocol_policy` to `redirect-to-https`, and limit `origin_ssl_protocols`
#     to `["TLSv1.2"]`.
#   fix:
#     judges: [viewer_certificate, default_cache_behavior, ordered_cache_behavior, origin]
#   examples:
#     fail: |
#       resource "aws_cloudfront_distribution" "portal" {
#         enabled = true
#         origin {
#           domain_name = "portal.example.org"
#           origin_id   = "portal"
#           custom_origin_config {
#             http_port              = 80
#             https_port             = 443
#             origin_protocol_policy = "https-only"
#             origin_ssl_protocols   = ["TLSv1.2"]
#           }
#         }
#         default_cache_behavior {
#           target_origin_id       = "portal"
#           viewer_protocol_policy = "allow-all"
#           allowed_methods        = ["GET", "HEAD"]
#           cached_methods         = ["GET", "HEAD"]
#         }
#         restrictions {
#           geo_restriction {
#             restriction_type = "none"
#           }
#         }
#         viewer_certificate {
#           cloudfront_default_certificate = true
#         }
#       }
#     pass: |
#       resource "aws_cloudfront_distribution" "portal" {
#         enabled = true
#         origin {
#           domain_name = "portal.example.org"
#           origin_id   = "portal"
#           custom_origin_config {
#             http_port              = 80
#             https_port             = 443
#             origin_protocol_policy = "https-only"
#             origin_ssl_protocols   = ["TLSv1.2"]
#           }
#         }
#         default_cache_behavior {
#           target_origin_id       = "portal"
#           viewer_protocol_policy = "redirect-to-https"
#           allowed_methods        = ["GET", "HEAD"]
#           cached_methods         = ["GET", "HEAD"]
#         }
#         restrictions {
#           geo_restriction {
#             restriction_type = "none"
#           }
#         }
#         viewer_certificate {
#           acm_certificate_arn      = aws_acm_certificate.portal.arn
#           ssl_support_method       = "sni-only"
#           minimum_protocol_version = "TLSv1.2_2021"
#         }
#       }
package plumb.rules.hs_tls_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.viewer_tls_1_2 == false
	msg := sprintf("distribution %s accepts viewer TLS older than 1.2 (minimum %s)", [v.name, v.minimum_protocol_version])
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.https_only == false
	msg := sprintf("distribution %s serves viewers over plain HTTP (viewer_protocol_policy %s)", [v.name, concat(", ", v.viewer_protocol_policies)])
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.legacy_origin_protocols == true
	msg := sprintf("distribution %s lets origins negotiate %s", [v.name, concat(", ", v.origin_ssl_protocols)])
}
