# METADATA
# title: No trail records S3 data events
# description: >-
#   At least one logging trail must record S3 object-level read and write events, with an
#   `event_selector` whose `data_resource` has `type = "AWS::S3::Object"` (and
#   `read_write_type = "All"`, the default) or an `advanced_event_selector` for
#   `eventCategory = Data` and `resources.type = AWS::S3::Object`. Judged over all trails
#   of a view; with no trail at all nothing is judged in the config and state views.
# custom:
#   id: HS-CT-005
#   severity: medium
#   resource_types: [cloudtrail]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(D)", "164.308(a)(3)(ii)(A)", "164.308(a)(6)(ii)", "164.312(a)(2)(i)", "164.312(b)", "164.312(e)(2)(i)"]
#     soc2: ["CC2.1", "CC7.2", "PI1.2"]
#     gdpr: ["Art. 30"]
#   rationale: >-
#     Management events show who changed a bucket, not who read the records in it.
#     Object-level events are what answers a breach question such as "which patient files
#     did this key download". Plumb requires them for some buckets and leaves the choice
#     of buckets (the ePHI ones) to the team.
#   remediation: >-
#     Add `event_selector { read_write_type = "All" include_management_events = true
#     data_resource { type = "AWS::S3::Object" values = ["${aws_s3_bucket.records.arn}/"]
#     } }` to the trail.
#   fix:
#     judges: [event_selector, advanced_event_selector]
#     changes:
#       - on: aws_cloudtrail
#         set:
#           event_selector:
#             read_write_type: All
#             include_management_events: true
#             data_resource: {type: "AWS::S3::Object", values: ["arn:aws:s3"]}
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
#         event_selector {
#           read_write_type           = "All"
#           include_management_events = true
#           data_resource {
#             type   = "AWS::S3::Object"
#             values = ["arn:aws:s3:::clinic-phi-records/"]
#           }
#         }
#       }
package plumb.rules.hs_ct_005

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.account.s3_data_events == false
	msg := sprintf("no trail records S3 object-level read and write events (trail %s)", [v.name])
}
