# METADATA
# title: AWS Config is not recording all resources
# description: >-
#   An `aws_config_configuration_recorder` must record all supported types
#   (`recording_group.all_supported`, default true), be started by an
#   `aws_config_configuration_recorder_status` with `is_enabled = true`, and have an
#   `aws_config_delivery_channel`; one recorder of the view must include global resource
#   types (default false). Region-scoped: a region without a recorder is not judged in
#   the config and state views; the live view reports it.
# custom:
#   id: HS-CFG-001
#   severity: high
#   resource_types: [config_recorder]
#   controls:
#     hipaa: ["164.308(a)(1)(ii)(A)"]
#     soc2: ["CC2.1", "CC3.1", "CC3.4", "CC8.1", "PI1.3"]
#     gdpr: ["Art. 25", "Art. 30"]
#   rationale: >-
#     Config keeps the configuration history of every resource: what a security group
#     looked like on the day of an incident, and evidence for the HIPAA risk analysis. A
#     recorder that was never started or skips types records nothing useful.
#   remediation: >-
#     Set `recording_group { all_supported = true include_global_resource_types = true }`
#     (global types in one region only), add an `aws_config_delivery_channel` and an
#     `aws_config_configuration_recorder_status` with `is_enabled = true`.
#   fix:
#     judges: [recording_group]
#   examples:
#     fail: |
#       resource "aws_config_configuration_recorder" "main" {
#         name     = "main"
#         role_arn = aws_iam_role.config.arn
#         recording_group {
#           all_supported                 = true
#           include_global_resource_types = true
#         }
#       }
#     pass: |
#       resource "aws_config_configuration_recorder" "main" {
#         name     = "main"
#         role_arn = aws_iam_role.config.arn
#         recording_group {
#           all_supported                 = true
#           include_global_resource_types = true
#         }
#       }
#
#       resource "aws_config_delivery_channel" "main" {
#         name           = "main"
#         s3_bucket_name = "clinic-config-history"
#       }
#
#       resource "aws_config_configuration_recorder_status" "main" {
#         name       = aws_config_configuration_recorder.main.name
#         is_enabled = true
#       }
package plumb.rules.hs_cfg_001

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.all_supported == false
	msg := sprintf("Config recorder %s does not record all supported resource types", [v.name])
}

deny contains {"id": v.id, "address": v.status.address, "message": msg} if {
	some v in input.views
	v.status.is_enabled == false
	msg := sprintf("Config recorder %s is not started (no recorder status with is_enabled = true)", [v.name])
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.account.delivery_channel == false
	msg := sprintf("Config recorder %s has no delivery channel", [v.name])
}

deny contains {"id": v.id, "address": v.address, "message": msg} if {
	some v in input.views
	v.account.global_resource_types == false
	msg := sprintf("no Config recorder records global resource types (recorder %s)", [v.name])
}
