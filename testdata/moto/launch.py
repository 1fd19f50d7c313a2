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
    "GetObjectLockConfiguration, GetPublicAccessBlock and GetBucketReplication as s3:ListBucket "
    "(its action table has no entry for ?encryption, ?ownershipControls, ?object-lock, "
    "?replication, and spells ?publicAccessBlock as public_access_block), so a least-privilege "
    "policy is denied and s3:ListBucket grants them",
    aws_does="checks s3:GetEncryptionConfiguration, s3:GetBucketOwnershipControls, "
    "s3:GetBucketObjectLockConfiguration, s3:GetBucketPublicAccessBlock and "
    "s3:GetReplicationConfiguration",
)
def _s3_iam_action_names():
    from moto.s3.responses import ACTION_MAP

    ACTION_MAP["BUCKET"]["GET"].update(
        {
            "encryption": "GetEncryptionConfiguration",
            "ownershipControls": "GetBucketOwnershipControls",
            "object-lock": "GetBucketObjectLockConfiguration",
            "publicAccessBlock": "GetBucketPublicAccessBlock",
            "replication": "GetReplicationConfiguration",
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


# -- S3 bucket sub-resources moto does not implement ------------------------------------------
# moto 5.2.1 has no handler for ?requestPayment, ?intelligent-tiering or ?metrics: a GET falls
# through to ListObjects (an answer no client can read as the configuration) and a PUT to
# CreateBucket. The three patches below answer them from a store on the bucket, as S3 does: what
# was put comes back as put. They share one dispatcher in front of moto's bucket handler.

_S3_SUBRESOURCES = {}


def _s3_subresource(query_key, get_action, put_action, delete_action, handler):
    """Route bucket requests carrying `query_key` to `handler(response, method, bucket, query)`,
    authorised as the given IAM actions (real S3's names)."""
    from moto.s3.responses import ACTION_MAP, S3Response

    ACTION_MAP["BUCKET"]["GET"][query_key] = get_action
    ACTION_MAP["BUCKET"]["PUT"][query_key] = put_action
    if delete_action:
        ACTION_MAP["BUCKET"]["DELETE"][query_key] = delete_action
    if not _S3_SUBRESOURCES:
        original = S3Response._bucket_response

        def _bucket_response(self, request, full_url):
            query = self._get_querystring(request, full_url)
            bucket = self.parse_bucket_name_from_url(request, full_url)
            for key, handle in _S3_SUBRESOURCES.items():
                if bucket and key in query and request.method in ("GET", "PUT", "DELETE"):
                    self._set_action("BUCKET", request.method, query)
                    self._authenticate_and_authorize_s3_action(bucket_name=bucket)
                    return handle(self, request.method, self.backend.get_bucket(bucket), query)
            return original(self, request, full_url)

        S3Response._bucket_response = _bucket_response
    _S3_SUBRESOURCES[query_key] = handler


def _s3_xml(root, body):
    import xmltodict

    return 200, {"Content-Type": "application/xml"}, xmltodict.unparse({root: {"@xmlns": S3_NS, **body}})


def _s3_no_such_configuration():
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchConfiguration</Code>'
        "<Message>The specified configuration does not exist.</Message></Error>"
    )
    return 404, {"Content-Type": "application/xml"}, body


def _s3_named_configurations(store, root, list_root):
    """Get/Put/Delete one configuration by `id`, or List them all (sorted by id), for S3's
    named bucket configurations (intelligent tiering, metrics, inventory, analytics)."""

    def handle(response, method, bucket, query):
        import xmltodict

        configs = bucket.__dict__.setdefault(store, {})
        config_id = (query.get("id") or [None])[0]
        if method == "PUT":
            body = response.body.decode() if isinstance(response.body, bytes) else response.body
            config = xmltodict.parse(body, dict_constructor=dict)[root]
            config.pop("@xmlns", None)
            configs[config_id] = config
            return 204, {}, ""
        if method == "DELETE":
            if configs.pop(config_id, None) is None:
                return _s3_no_such_configuration()
            return 204, {}, ""
        if config_id is not None:
            if config_id not in configs:
                return _s3_no_such_configuration()
            return _s3_xml(root, configs[config_id])
        listed = [configs[k] for k in sorted(configs)]
        return _s3_xml(list_root, {"IsTruncated": "false", root: listed})

    return handle


@patch(
    "s3:GetBucketRequestPayment / PutBucketRequestPayment",
    moto_does="has no ?requestPayment handler: GET answers a ListObjects result and PUT is taken "
    "for CreateBucket, so aws_s3_bucket_request_payment_configuration never reads its payer",
    aws_does="stores the payer and answers <RequestPaymentConfiguration><Payer>BucketOwner|"
    "Requester</Payer></RequestPaymentConfiguration> (BucketOwner until set)",
)
def _s3_request_payment():
    def handle(response, method, bucket, query):
        import xmltodict

        if method == "PUT":
            body = response.body.decode() if isinstance(response.body, bytes) else response.body
            config = xmltodict.parse(body, dict_constructor=dict)["RequestPaymentConfiguration"]
            bucket.__dict__["plumb_request_payer"] = config.get("Payer", "BucketOwner")
            return 200, {}, ""
        if method == "DELETE":
            return 405, {}, ""
        payer = bucket.__dict__.get("plumb_request_payer", "BucketOwner")
        return _s3_xml("RequestPaymentConfiguration", {"Payer": payer})

    _s3_subresource("requestPayment", "GetBucketRequestPayment", "PutBucketRequestPayment", None, handle)


@patch(
    "s3:{Put,Get,Delete,List}BucketIntelligentTieringConfiguration(s)",
    moto_does="has no ?intelligent-tiering handler: GET answers a ListObjects result and PUT is "
    "taken for CreateBucket; the provider never reads a configuration back and waits forever to "
    "see one deleted",
    aws_does="stores each configuration by Id; Get answers it (404 NoSuchConfiguration when "
    "absent), List answers them all, Delete removes it",
)
def _s3_intelligent_tiering():
    _s3_subresource(
        "intelligent-tiering",
        "GetIntelligentTieringConfiguration",
        "PutIntelligentTieringConfiguration",
        "PutIntelligentTieringConfiguration",
        _s3_named_configurations(
            "plumb_intelligent_tiering",
            "IntelligentTieringConfiguration",
            "ListBucketIntelligentTieringConfigurationsOutput",
        ),
    )


@patch(
    "s3:{Put,Get,Delete,List}BucketMetricsConfiguration(s)",
    moto_does="has no ?metrics handler: GET answers a ListObjects result (which the provider "
    "reads as an empty configuration) and PUT is taken for CreateBucket",
    aws_does="stores each request-metrics configuration by Id; Get answers it (404 "
    "NoSuchConfiguration when absent), List answers them all, Delete removes it",
)
def _s3_metrics():
    _s3_subresource(
        "metrics",
        "GetMetricsConfiguration",
        "PutMetricsConfiguration",
        "PutMetricsConfiguration",
        _s3_named_configurations("plumb_metrics", "MetricsConfiguration", "ListMetricsConfigurationsResult"),
    )


@patch(
    "s3:GetBucketReplication",
    moto_does="answers every rule with DeleteMarkerReplication Disabled and Filter Prefix \"\" "
    "whatever was put, and drops ExistingObjectReplication and SourceSelectionCriteria; "
    "Terraform plans an update right after apply",
    aws_does="answers the replication configuration as it was put",
)
def _s3_get_bucket_replication():
    from moto.s3.exceptions import ReplicationConfigurationNotFoundError
    from moto.s3.responses import S3Response

    def get_bucket_replication(self):
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        body = {k: v for k, v in replication.items() if not k.startswith("@")}
        return _s3_xml("ReplicationConfiguration", body)

    S3Response.get_bucket_replication = get_bucket_replication


@patch(
    "rds:DescribeDBParameters / DescribeDBClusterParameters (Source)",
    moto_does="answers parameters without Source and ignores the Source filter; the provider "
    "keeps only parameters whose Source is user (or that the configuration names with another "
    "Source), so every aws_db_parameter_group parameter looks removed right after apply",
    aws_does="gives every parameter its Source (user for those set on the group, system or "
    "engine-default otherwise) and honours the Source filter",
)
def _rds_parameter_source():
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import DBParameterGroupNotFoundError
    from moto.rds.responses import RDSResponse

    # moto's groups hold only the parameters set on them: all of them are the user's.
    def answer(self, parameters):
        source = self.params.get("Source")
        listed = [] if source not in (None, "user") else [dict(p, Source="user") for p in parameters]
        return ActionResult({"Parameters": listed})

    def describe_db_parameters(self):
        name = self.params.get("DBParameterGroupName")
        groups = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
        if not groups:
            raise DBParameterGroupNotFoundError(name)
        return answer(self, groups[0].parameters.values())

    def describe_db_cluster_parameters(self):
        name = self.params.get("DBClusterParameterGroupName")
        return answer(self, self.backend.describe_db_cluster_parameters(name))

    RDSResponse.describe_db_parameters = describe_db_parameters
    RDSResponse.describe_db_cluster_parameters = describe_db_cluster_parameters


@patch(
    "s3:GetBucketAccelerateConfiguration",
    moto_does="answers with root element <GetBucketAccelerateConfigurationResponse> (and an empty "
    "<Status/> for a bucket never configured); the AWS SDK for Rust cannot parse it",
    aws_does="answers <AccelerateConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Status>Enabled|Suspended</Status></AccelerateConfiguration>, with no <Status> when "
    "acceleration was never set",
)
def _s3_get_bucket_accelerate_configuration():
    from moto.s3.responses import S3Response

    def get_bucket_accelerate_configuration(self):
        self.data["Action"] = "GetBucketAccelerateConfiguration"
        status = self.backend.get_bucket_accelerate_configuration(self.bucket_name)
        return _s3_xml("AccelerateConfiguration", {"Status": status} if status else {})

    S3Response.get_bucket_accelerate_configuration = get_bucket_accelerate_configuration


@patch(
    "s3:GetBucketNotificationConfiguration (nothing configured)",
    moto_does="answers a bucket without notifications with an empty <GetBucketNotificationResponse/>; "
    "the AWS SDK for Rust cannot parse it",
    aws_does="answers an empty <NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>",
)
def _s3_empty_notification_configuration():
    from moto.s3.responses import S3Response

    original = S3Response.get_bucket_notification

    def get_bucket_notification(self):
        if not self.backend.get_bucket_notification_configuration(self.bucket_name):
            self.data["Action"] = "GetBucketNotification"
            return _s3_xml("NotificationConfiguration", {})
        return original(self)

    S3Response.get_bucket_notification = get_bucket_notification


@patch(
    "rds:DescribeOptionGroups (no name)",
    moto_does="answers HTTP 500 (KeyError) when no OptionGroupName is given, and "
    "OptionGroupNotFoundFault when a listing matches nothing",
    aws_does="lists every option group of the region (paginated), an empty list when there are none; "
    "OptionGroupNotFoundFault only for a named group that does not exist",
)
def _rds_describe_option_groups():
    from moto.rds.exceptions import OptionGroupNotFoundFaultError
    from moto.rds.models import RDSBackend

    def describe_option_groups(self, option_group_kwargs):
        name = option_group_kwargs.get("option_group_name")
        engine = option_group_kwargs.get("engine_name")
        version = option_group_kwargs.get("major_engine_version")
        found = [
            g
            for g in self.option_groups.values()
            if (not name or g.name == name)
            and (not engine or g.engine_name == engine)
            and (not version or g.major_engine_version == version)
        ]
        if name and not found:
            raise OptionGroupNotFoundFaultError(name)
        return found

    RDSBackend.describe_option_groups = describe_option_groups


@patch(
    "s3control IAM authorization of the account public access block",
    moto_does="authorizes S3 Control's GetPublicAccessBlock / PutPublicAccessBlock / "
    "DeletePublicAccessBlock as s3:GetPublicAccessBlock / s3:PutPublicAccessBlock / "
    "s3:DeletePublicAccessBlock (the operation names), so a least-privilege policy is denied",
    aws_does="checks s3:GetAccountPublicAccessBlock, and s3:PutAccountPublicAccessBlock for both "
    "the put and the delete",
)
def _s3control_iam_action_names():
    from moto.s3control.responses import S3ControlResponse

    actions = {
        "GetPublicAccessBlock": "GetAccountPublicAccessBlock",
        "PutPublicAccessBlock": "PutAccountPublicAccessBlock",
        "DeletePublicAccessBlock": "PutAccountPublicAccessBlock",
    }
    original = S3ControlResponse._authenticate_and_authorize_normal_action

    def authorize(self, *args, **kwargs):
        # The check reads the action from _get_action, which also picks the handler: rename it
        # for the check only.
        name = self._get_action()
        self._get_action = lambda: actions.get(name, name)
        try:
            return original(self, *args, **kwargs)
        finally:
            del self._get_action

    S3ControlResponse._authenticate_and_authorize_normal_action = authorize


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
