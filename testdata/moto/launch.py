#!/usr/bin/env python3
"""Start moto's server with fixes for emulator defects that matter to Plumb.

Usage: python3 testdata/moto/launch.py [--list-patches] [--exit-with-parent] [moto_server args,
       e.g. -H 127.0.0.1 -p 5000]

--exit-with-parent makes the server exit as soon as the process that started it is gone (the
Rust test harness uses it so that no emulator outlives its test binary).

Each patch restores a documented real-AWS behaviour that moto gets wrong in a way the AWS SDK
for Rust (or Terraform) trips over. Patches are registered with the `@patch` decorator below;
to add one, write a function that monkey-patches moto and decorate it with the API it fixes,
what moto does and what AWS does. testdata/moto/README.md lists the same patches.

IAM enforcement (for AccessDenied tests): moto checks signatures and IAM policies once it has
served `INITIAL_NO_AUTH_ACTION_COUNT` requests (environment variable, default: never). The
count can also be changed on a running server with
`POST /moto-api/reset-auth` and the new count as the body ("0" = enforce from now on,
"inf" = stop enforcing); tests/common/mod.rs uses that to set up a restricted user first.
"""

import sys

PATCHES = []


def patch(api, moto_does, aws_does):
    """Register a patch function. `api` names the operation, the other two say what changes."""

    def register(fn):
        PATCHES.append({"api": api, "moto": moto_does, "aws": aws_does, "apply": fn})
        return fn

    return register


S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


@patch(
    "s3:GetBucketVersioning",
    moto_does="answers with root element <GetBucketVersioningResponse>; the AWS SDK for Rust "
    "cannot parse it",
    aws_does="answers <VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Status>Enabled|Suspended</Status></VersioningConfiguration>, with no <Status> element "
    "when versioning was never configured",
)
def _s3_get_bucket_versioning():
    from xml.sax.saxutils import escape

    from moto.s3.responses import S3Response

    def get_bucket_versioning(self):
        status = self.backend.get_bucket_versioning(self.bucket_name)
        self.data["Action"] = "GetBucketVersioning"
        inner = f"<Status>{escape(status)}</Status>" if status else ""
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<VersioningConfiguration xmlns="{S3_NS}">{inner}</VersioningConfiguration>'
        )
        return 200, {"Content-Type": "application/xml"}, body

    S3Response.get_bucket_versioning = get_bucket_versioning


@patch(
    "rds:DescribeDBClusters (ScalingConfigurationInfo)",
    moto_does="returns an empty <ScalingConfigurationInfo/> for every cluster, provisioned ones "
    "included; Terraform then stores scaling_configuration = [{all null}] and plans an update "
    "right after apply (which moto accepts, filling in serverless v1 defaults)",
    aws_does="includes ScalingConfigurationInfo only for clusters with EngineMode serverless "
    "(Aurora Serverless v1); provisioned clusters have no such element",
)
def _rds_cluster_scaling_configuration_info():
    from moto.rds.models import DBCluster

    original = DBCluster.scaling_configuration_info

    def scaling_configuration_info(self):
        if self.engine_mode != "serverless":
            return None
        return original.fget(self)

    DBCluster.scaling_configuration_info = property(scaling_configuration_info)


@patch(
    "ec2:DescribeSecurityGroupRules (Description)",
    moto_does="drops the Description of rules that reference a security group "
    "(UserIdGroupPairs) or a prefix list; only CIDR rules keep theirs, so Terraform sees "
    "aws_vpc_security_group_ingress_rule.description drift right after apply",
    aws_does="returns each rule's Description whatever its source (CIDR, referenced group, "
    "prefix list); DescribeSecurityGroups already shows it in UserIdGroupPairs",
)
def _ec2_security_group_rule_description():
    from moto.ec2.models.security_groups import SecurityGroupRule

    original_init = SecurityGroupRule.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        # __init__(backend, ip_protocol, group_id, from_port, to_port, ip_range,
        #          source_group=None, prefix_list_id=None, ...)
        prefix_list = kwargs.get("prefix_list_id", args[7] if len(args) > 7 else None)
        self._prefix_list_description = (prefix_list or {}).get("Description")

    def description(self):
        return (
            self.ip_range.get("Description")
            or (self.source_group or {}).get("Description")
            or getattr(self, "_prefix_list_description", None)
        )

    SecurityGroupRule.__init__ = __init__
    SecurityGroupRule.description = property(description)


@patch(
    "kms:DescribeKey (KeyManager of AWS managed keys)",
    moto_does="creates the AWS managed keys behind alias/aws/* (alias/aws/ebs when an encrypted "
    "volume names no key, alias/aws/rds, ...) as ordinary keys with KeyManager CUSTOMER, so a "
    "drift tool sees an unmanaged customer key after every apply",
    aws_does="AWS creates those keys itself and DescribeKey answers KeyManager AWS for them",
)
def _kms_aws_managed_keys():
    from moto.kms.models import KmsBackend

    original = KmsBackend.create_alias

    def create_alias(self, target_key_id, alias_name):
        alias = original(self, target_key_id, alias_name)
        if alias_name.startswith("alias/aws/"):
            self.describe_key(target_key_id).key_manager = "AWS"
        return alias

    KmsBackend.create_alias = create_alias


@patch(
    "ec2:MonitorInstances / UnmonitorInstances",
    moto_does="answers HTTP 500 NotImplementedError; `terraform apply` of an instance with "
    "monitoring = true retries until it times out",
    aws_does="switches detailed monitoring and answers the new Monitoring.State per instance",
)
def _ec2_monitoring():
    from moto.core.responses import ActionResult
    from moto.ec2.responses.monitoring import Monitoring

    def set_state(self, state):
        self.error_on_dryrun()
        out = []
        for i in self._get_param("InstanceIds", []):
            self.ec2_backend.get_instance(i).monitoring_state = state
            out.append({"InstanceId": i, "Monitoring": {"State": state}})
        return ActionResult({"InstanceMonitorings": out})

    Monitoring.monitor_instances = lambda self: set_state(self, "enabled")
    Monitoring.unmonitor_instances = lambda self: set_state(self, "disabled")


@patch(
    "ec2:DescribeSubnets (IPv6 associations)",
    moto_does="answers 500 FilterNotImplementedError for the ipv6-cidr-block-association.* "
    "filters the provider uses, and renders the association state as a Python dict "
    "(<state>{'State': 'associated'}</state>), so any aws_subnet with ipv6_cidr_block fails",
    aws_does="supports those filters and answers <ipv6CidrBlockState><state>associated</state>",
)
def _ec2_subnet_ipv6():
    from moto.ec2.models.subnets import Subnet

    original = Subnet.get_filter_value

    def get_filter_value(self, name, method_name=None):
        assocs = self.ipv6_cidr_block_associations.values()
        if name == "ipv6-cidr-block-association.association-id":
            return list(self.ipv6_cidr_block_associations.keys())
        if name == "ipv6-cidr-block-association.ipv6-cidr-block":
            return [a["ipv6CidrBlock"] for a in assocs]
        if name == "ipv6-cidr-block-association.state":
            return [a["ipv6CidrBlockState"]["State"] for a in assocs]
        return original(self, name, method_name)

    def association_set(self):
        return [
            {
                "ipv6CidrBlock": a["ipv6CidrBlock"],
                "associationId": a["associationId"],
                "ipv6CidrBlockState": {"state": a["ipv6CidrBlockState"]["State"]},
            }
            for a in self.ipv6_cidr_block_associations.values()
            if a["ipv6CidrBlockState"]["State"] == "associated"
        ]

    Subnet.get_filter_value = get_filter_value
    Subnet.ipv6_cidr_block_association_set = property(association_set)


@patch(
    "ec2:DescribeInstances (groupSet)",
    moto_does="returns an empty groupSet when the groups were given through the network-interface "
    "specification, which the provider does whenever subnet_id is set; Terraform and Plumb then "
    "see vpc_security_group_ids drift to []",
    aws_does="lists the primary network interface's security groups as the instance's groups",
)
def _ec2_instance_groups():
    from moto.ec2.models.instances import Instance

    original = Instance.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not self.security_groups and 0 in getattr(self, "nics", {}):
            self.security_groups = list(self.nics[0]._group_set)

    Instance.__init__ = __init__


@patch(
    "ec2:DescribeInstances (networkInterface association)",
    moto_does="always includes an empty <association/> on each network interface, so "
    "associate_public_ip_address reads true for instances without a public IP",
    aws_does="has no association element when the interface has no public IP",
)
def _ec2_interface_association():
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    original = NetworkInterface.association

    def association(self):
        return original.fget(self) if self.public_ip else None

    NetworkInterface.association = property(association)


@patch(
    "s3 IAM authorization of bucket sub-resource reads",
    moto_does="authorizes GetBucketEncryption, GetBucketOwnershipControls, "
    "GetObjectLockConfiguration and GetPublicAccessBlock as s3:ListBucket (its action table has "
    "no entry for ?encryption, ?ownershipControls, ?object-lock, and spells ?publicAccessBlock "
    "as public_access_block), so a least-privilege policy is denied and s3:ListBucket grants them",
    aws_does="checks s3:GetEncryptionConfiguration, s3:GetBucketOwnershipControls, "
    "s3:GetBucketObjectLockConfiguration and s3:GetBucketPublicAccessBlock",
)
def _s3_iam_action_names():
    from moto.s3.responses import ACTION_MAP

    ACTION_MAP["BUCKET"]["GET"].update(
        {
            "encryption": "GetEncryptionConfiguration",
            "ownershipControls": "GetBucketOwnershipControls",
            "object-lock": "GetBucketObjectLockConfiguration",
            "publicAccessBlock": "GetBucketPublicAccessBlock",
        }
    )


@patch(
    "rds:ModifyDBSubnetGroup",
    moto_does="removes the group from its registry while modifying it and never puts it back: "
    "the group is gone from DescribeDBSubnetGroups afterwards (and Terraform's refresh sees it "
    "deleted)",
    aws_does="updates the group's description and subnets in place; it stays describable",
)
def _rds_modify_db_subnet_group():
    from moto.rds.models import RDSBackend

    original = RDSBackend.modify_db_subnet_group

    def modify_db_subnet_group(self, subnet_name, description, subnets):
        group = original(self, subnet_name, description, subnets)
        self.subnet_groups[subnet_name] = group
        return group

    RDSBackend.modify_db_subnet_group = modify_db_subnet_group


@patch(
    "ec2:GetEbsDefaultKmsKeyId / ResetEbsDefaultKmsKeyId",
    moto_does="answers HTTP 500 NotImplementedError (only ModifyEbsDefaultKmsKeyId exists); "
    "`terraform apply` of aws_ebs_default_kms_key retries its read until it times out",
    aws_does="GetEbsDefaultKmsKeyId answers the region's default key for EBS encryption: the key "
    "set by ModifyEbsDefaultKmsKeyId, else the ARN of alias/aws/ebs; ResetEbsDefaultKmsKeyId goes "
    "back to alias/aws/ebs and answers it",
)
def _ec2_ebs_default_kms_key():
    from moto.core.responses import ActionResult
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    def aws_managed(self):
        return f"arn:aws:kms:{self.region}:{self.current_account}:alias/aws/ebs"

    def get_ebs_default_kms_key_id(self):
        self.error_on_dryrun()
        key = self.ec2_backend.default_kms_key_id or aws_managed(self)
        return ActionResult({"KmsKeyId": key})

    def reset_ebs_default_kms_key_id(self):
        self.error_on_dryrun()
        self.ec2_backend.default_kms_key_id = ""
        return ActionResult({"KmsKeyId": aws_managed(self)})

    ElasticBlockStore.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id
    ElasticBlockStore.reset_ebs_default_kms_key_id = reset_ebs_default_kms_key_id


@patch(
    "ec2:RunInstances (DisableApiTermination)",
    moto_does="ignores DisableApiTermination: the instance reads disableApiTermination false and "
    "can be terminated; Terraform sees disable_api_termination drift right after apply",
    aws_does="launches the instance with termination protection on when DisableApiTermination is "
    "true",
)
def _ec2_run_instances_termination_protection():
    from moto.ec2.responses.instances import InstanceResponse

    original = InstanceResponse.run_instances

    def run_instances(self):
        result = original(self)
        if self._get_param("DisableApiTermination") in (True, "true"):
            for instance in result.result.instances:
                instance.disable_api_termination = True
        return result

    InstanceResponse.run_instances = run_instances


@patch(
    "ec2:ModifyInstanceAttribute (InstanceInitiatedShutdownBehavior)",
    moto_does="does not recognise InstanceInitiatedShutdownBehavior.Value and falls through to its "
    "security-group handler, which replaces the instance's groups with an empty list (the "
    "provider sends this call right after RunInstances, so every instance with "
    "instance_initiated_shutdown_behavior loses its groups)",
    aws_does="sets the shutdown behaviour and leaves the groups alone; groups change only when "
    "GroupId.N is given",
)
def _ec2_modify_instance_shutdown_behavior():
    from moto.ec2.responses.instances import InstanceResponse

    original_dot = InstanceResponse._dot_value_instance_attribute_handler
    original_groups = InstanceResponse._security_grp_instance_attribute_handler

    def dot_value(self):
        value = self._get_param("InstanceInitiatedShutdownBehavior.Value")
        if value is not None:
            self.error_on_dryrun()
            self.ec2_backend.modify_instance_attribute(
                self._get_param("InstanceId"), "instance_initiated_shutdown_behavior", value
            )
            return True
        return original_dot(self)

    def groups(self):
        if not self._get_param("GroupId", []) and not self._get_param("Groups", []):
            return False
        return original_groups(self)

    InstanceResponse._dot_value_instance_attribute_handler = dot_value
    InstanceResponse._security_grp_instance_attribute_handler = groups


@patch(
    "ec2:CreateDhcpOptions (TagSpecifications)",
    moto_does="ignores TagSpecification.N: the options set is created without its tags, so "
    "Terraform's first apply leaves aws_vpc_dhcp_options untagged and plans the tags again",
    aws_does="tags the new DHCP options set with the tags of the dhcp-options tag specification",
)
def _ec2_dhcp_options_tags():
    from moto.ec2.responses.dhcp_options import DHCPOptions

    original = DHCPOptions.create_dhcp_options

    def create_dhcp_options(self):
        result = original(self)
        tags = self._parse_tag_specification().get("dhcp-options", {})
        if tags:
            result.result["DhcpOptions"].add_tags(tags)
        return result

    DHCPOptions.create_dhcp_options = create_dhcp_options


@patch(
    "ec2:DescribeSecurityGroups (prefix-list rule descriptions)",
    moto_does="drops the Description of rules whose source is a prefix list from IpPermissions "
    "(PrefixListIds carry the id only), so a described prefix-list rule reads as changed",
    aws_does="lists each prefix list source with its Description",
)
def _ec2_security_group_prefix_list_description():
    from moto.ec2.models.security_groups import SecurityGroup

    original = SecurityGroup._flattened_rules

    def _flattened_rules(self, rules):
        views = original(self, rules)
        described = {
            (r.from_port, r.to_port, r.ip_protocol, r.prefix_list_id): getattr(r, "_prefix_list_description", None)
            for r in rules
            if r.prefix_list_id
        }
        for view in views:
            for p in view.prefix_list_ids:
                d = described.get((view.from_port, view.to_port, view.ip_protocol, p["PrefixListId"]))
                if d:
                    p["Description"] = d
        return views

    SecurityGroup._flattened_rules = _flattened_rules


@patch(
    "ec2:CreateNatGateway (network interface)",
    moto_does="gives the gateway an ordinary interface (InterfaceType interface, RequesterManaged "
    "false, no description), which then reads as a user's unmanaged network interface",
    aws_does="creates a requester-managed interface of type nat_gateway described "
    "`Interface for NAT Gateway nat-...`",
)
def _ec2_nat_gateway_interface():
    from moto.ec2.models.nat_gateways import NatGateway

    original = NatGateway.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self._eni.interface_type = "nat_gateway"
        self._eni.requester_managed = True
        self._eni.description = f"Interface for NAT Gateway {self.id}"

    NatGateway.__init__ = __init__


@patch(
    "ec2:RunInstances (DeleteOnTermination of launch-created interfaces)",
    moto_does="creates the instance's primary interface with DeleteOnTermination false unless the "
    "request says otherwise, so it outlives the instance and reads as a user's interface",
    aws_does="deletes interfaces created at launch with the instance (DeleteOnTermination true) "
    "unless the request says otherwise",
)
def _ec2_launch_interfaces_deleted_with_instance():
    from moto.ec2.models.instances import Instance

    original = Instance.prep_nics

    def prep_nics(self, nic_spec, *args, **kwargs):
        for nic in nic_spec:
            if not nic.get("NetworkInterfaceId") and "DeleteOnTermination" not in nic:
                nic["DeleteOnTermination"] = True
        from_defaults = not nic_spec
        original(self, nic_spec, *args, **kwargs)
        if from_defaults:
            for nic in self.nics.values():
                nic.delete_on_termination = True

    Instance.prep_nics = prep_nics


def apply_patches():
    for p in PATCHES:
        p["apply"]()


def exit_with_parent():
    """Exit when the process that started us goes away (a test binary that never ran Drop,
    e.g. a fixture held in a `static`, or one killed by a signal)."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main(argv):
    if "--list-patches" in argv:
        for p in PATCHES:
            print(f"{p['api']}\n  moto: {p['moto']}\n  AWS:  {p['aws']}")
        return
    if "--exit-with-parent" in argv:
        argv = [a for a in argv if a != "--exit-with-parent"]
        exit_with_parent()
    apply_patches()
    from moto.server import main as moto_main

    moto_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
