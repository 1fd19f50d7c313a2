# METADATA
# title: EBS volume is not encrypted
# description: >-
#   EBS volumes must have `encrypted = true`. An omitted argument fails: the volume is
#   then encrypted only if the account's EBS encryption by default happens to be on in
#   that region. A volume created from a snapshot inherits the snapshot's encryption and
#   is not judged from the argument.
# custom:
#   id: HS-EBS-001
#   severity: high
#   resource_types: [ebs_volume]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(B)", "164.308(a)(4)(ii)(A)", "164.312(a)(2)(iv)", "164.312(c)(1)", "164.312(c)(2)", "164.312(e)(2)(ii)"]
#     soc2: [PI1.5]
#     gdpr: [Art. 32]
#   rationale: >-
#     Encryption covers the data at rest, the snapshots taken from the volume and the
#     traffic between the instance and the volume. Unencrypted snapshots of a volume
#     holding ePHI can be shared or copied without any key to stop them.
#   remediation: >-
#     Set `encrypted = true` and `kms_key_id` to a customer-managed key. An existing
#     volume cannot be encrypted in place: snapshot it, copy the snapshot with encryption
#     and create the volume from the copy. Also turn on `aws_ebs_encryption_by_default`.
#   fix:
#     judges: [encrypted, kms_key_id]
#     changes:
#       - on: aws_ebs_volume
#         set: {encrypted: true}
#   examples:
#     fail: |
#       resource "aws_ebs_volume" "data" {
#         availability_zone = "us-east-1a"
#         size              = 10
#       }
#     pass: |
#       resource "aws_ebs_volume" "data" {
#         availability_zone = "us-east-1a"
#         size              = 10
#         encrypted         = true
#         kms_key_id        = aws_kms_key.phi.arn
#       }
package plumb.rules.hs_ebs_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.encrypted == false
	msg := sprintf("EBS volume %s is not encrypted", [v.name])
}
