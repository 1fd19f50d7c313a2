# METADATA
# title: CloudTrail logs are not encrypted with a KMS key
# description: >-
#   A trail must set `kms_key_id` to a KMS key; omitted, log files get the bucket's
#   default encryption only.
# custom:
#   id: HS-CT-003
#   severity: high
#   resource_types: [cloudtrail]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(1)(ii)(D)", "164.308(a)(4)(ii)(A)", "164.312(a)(2)(iv)", "164.312(c)(1)", "164.312(c)(2)", "164.312(e)(2)(ii)"]
#     soc2: []
#     gdpr: ["Art. 25", "Art. 30", "Art. 32"]
#   rationale: >-
#     Trail logs reveal the whole estate, resource names and sometimes request
#     parameters. SSE-KMS makes reading them need `kms:Decrypt` on a key whose policy the
#     security team controls, separately from access to the bucket.
#   remediation: >-
#     Create an `aws_kms_key` whose policy lets `cloudtrail.amazonaws.com` encrypt, and
#     set `kms_key_id = aws_kms_key.<name>.arn` on the trail.
#   fix:
#     judges: [kms_key_id]
#   examples:
#     fail: |
#       resource "aws_cloudtrail" "main" {
#         name                          = "org-trail"
#         s3_bucket_name                = "clinic-trail-logs"
#         is_multi_region_trail = true
#       }
#     pass: |
#       resource "aws_cloudtrail" "main" {
#         name                          = "org-trail"
#         s3_bucket_name                = "clinic-trail-logs"
#         is_multi_region_trail = true
#         kms_key_id            = aws_kms_key.trail.arn
#       }
package plumb.rules.hs_ct_003

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.kms_encrypted == false
	msg := sprintf("trail %s does not encrypt its logs with a KMS key", [v.name])
}
