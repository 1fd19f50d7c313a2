# METADATA
# title: No multi-region CloudTrail trail is logging
# description: >-
#   At least one trail must be multi-region (`is_multi_region_trail = true`, default
#   false), include global service events (default true) and have logging on
#   (`enable_logging`, default true). A single-region trail passes when another trail of
#   the same view covers all regions. Account-scoped: with no trail at all nothing is
#   judged in the config and state views (the organisation trail usually lives in another
#   stack); the live view reports the account's trails.
# custom:
#   id: HS-CT-001
#   severity: high
#   resource_types: [cloudtrail]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(3)(ii)(A)", "164.308(a)(6)(ii)", "164.312(b)", "164.312(e)(2)(i)"]
#     soc2: ["CC2.1", "CC7.2", "A1.2", "PI1.3"]
#     gdpr: ["Art. 25", "Art. 30"]
#   rationale: >-
#     CloudTrail is the audit log of every API call; activity in a region no trail covers
#     is invisible, and attackers favour unused regions. Deliberate difference from
#     checkov: CKV_AWS_67 fails every single-region trail; Plumb accepts one when another
#     trail covers all regions.
#   remediation: >-
#     Set `is_multi_region_trail = true` on the main trail (or use an organisation trail)
#     and leave `enable_logging` and `include_global_service_events` at their defaults.
#   fix:
#     judges: [is_multi_region_trail, include_global_service_events, enable_logging]
#     changes:
#       - on: aws_cloudtrail
#         set: {is_multi_region_trail: true}
#   examples:
#     fail: |
#       resource "aws_cloudtrail" "main" {
#         name                          = "org-trail"
#         s3_bucket_name                = "clinic-trail-logs"
#       }
#     pass: |
#       resource "aws_cloudtrail" "main" {
#         name                          = "org-trail"
#         s3_bucket_name                = "clinic-trail-logs"
#         is_multi_region_trail         = true
#       }
package plumb.rules.hs_ct_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.covers_all_regions == false
	v.account.all_region_trail == false
	msg := sprintf("trail %s does not log all regions (multi-region, global events and logging on) and no other trail does", [v.name])
}
