# METADATA
# title: EBS encryption by default is off
# description: >-
#   An `aws_ebs_encryption_by_default` must not set `enabled = false` (the default is
#   true). Region-scoped: a region without the resource is not judged in the config and
#   state views; the live view reports the region's setting.
# custom:
#   id: HS-EBS-002
#   severity: high
#   resource_types: [ebs_encryption_by_default]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(4)(ii)(A)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
#     soc2: []
#     gdpr: []
#   rationale: >-
#     With encryption by default on, every new volume and snapshot copy in the region is
#     encrypted, whatever the launching tool or AMI says; it closes the gap HS-EC2-002
#     can only find afterwards.
#   remediation: >-
#     Declare `aws_ebs_encryption_by_default` with `enabled = true` in every region in
#     use, and `aws_ebs_default_kms_key` with a customer-managed key.
#   fix:
#     changes:
#       - on: aws_ebs_encryption_by_default
#         set: {enabled: true}
#   examples:
#     fail: |
#       resource "aws_ebs_encryption_by_default" "region" {
#         enabled = false
#       }
#     pass: |
#       resource "aws_ebs_encryption_by_default" "region" {
#         enabled = true
#       }
package plumb.rules.hs_ebs_002

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.enabled == false
	msg := "EBS encryption by default is off in this region"
}
