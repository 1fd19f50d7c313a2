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


@patch(
    "iam:GetAccountAuthorizationDetails (Policies)",
    moto_does="leaves PolicyName and PolicyId out of each ManagedPolicyDetail (its serializer "
    "looks for policy_name/policy_id, the model has name/id)",
    aws_does="every ManagedPolicyDetail has PolicyName and PolicyId",
)
def _iam_authorization_details_policy_names():
    from moto.iam.models import Policy

    Policy.policy_name = property(lambda self: self.name)
    Policy.policy_id = property(lambda self: self.id)


@patch(
    "iam:AttachRolePolicy / GetPolicy (AWS managed policies)",
    moto_does="knows no AWS managed policy (arn:aws:iam::aws:policy/...) unless all 1,485 are "
    "loaded at start (MOTO_IAM_LOAD_MANAGED_POLICIES); attaching AmazonEKSClusterPolicy to a "
    "role answers NoSuchEntity",
    aws_does="every AWS managed policy exists in every account and can be attached and read",
)
def _iam_aws_managed_policies():
    import json

    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.models import AWSManagedPolicy, IAMBackend

    catalogue = {}

    def ensure(self, arn):
        prefix = "arn:aws:iam::aws:policy/"
        if not isinstance(arn, str) or not arn.startswith(prefix) or arn in self.managed_policies:
            return
        if not catalogue:
            catalogue.update(json.loads(aws_managed_policies_data))
        name = arn.rsplit("/", 1)[-1]
        if name not in catalogue:
            return
        policy = AWSManagedPolicy.from_data(name, self.account_id, self.region_name, catalogue[name])
        if policy.arn == arn:
            self.aws_managed_policies.append(policy)
            self.managed_policies[policy.arn] = policy

    def on_demand(original):
        def method(self, *args, **kwargs):
            ensure(self, kwargs.get("policy_arn", args[0] if args else None))
            return original(self, *args, **kwargs)

        return method

    for name in (
        "attach_role_policy",
        "attach_user_policy",
        "attach_group_policy",
        "get_policy",
        "get_policy_version",
    ):
        setattr(IAMBackend, name, on_demand(getattr(IAMBackend, name)))


def _eks_not_found(message):
    from moto.eks.exceptions import ResourceNotFoundException

    return ResourceNotFoundException(
        clusterName=None, nodegroupName=None, fargateProfileName=None, addonName=None, message=message
    )


def _eks_cluster(backend, name):
    cluster = backend.clusters.get(name)
    if cluster is None:
        raise _eks_not_found(f"No cluster found for name: {name}.")
    return cluster


def _eks_update(kind, params):
    from moto.core.utils import utcnow
    from moto.moto_api._internal import mock_random as random

    return {
        "id": str(random.uuid4()),
        "status": "Successful",
        "type": kind,
        "params": [{"type": k, "value": str(v)} for k, v in params],
        "createdAt": utcnow(),
        "errors": [],
    }


@patch(
    "eks:CreateCluster / DescribeCluster / UpdateClusterConfig",
    moto_does="ignores accessConfig (DescribeCluster has none); returns resourcesVpcConfig exactly "
    "as sent (no vpcId, no publicAccessCidrs); UpdateClusterConfig replaces the whole "
    "resourcesVpcConfig with the request's partial one (an endpoint change drops the subnets and "
    "security groups) and answers with the cluster instead of an update",
    aws_does="stores accessConfig.authenticationMode (default CONFIG_MAP) and returns it; "
    "resourcesVpcConfig carries the VPC and publicAccessCidrs (default 0.0.0.0/0); "
    "UpdateClusterConfig changes only the fields given and answers {update: {id, status, type}}",
)
def _eks_cluster_config():
    from moto.ec2.models import ec2_backends
    from moto.eks.models import EKSBackend
    from moto.eks.responses import EKSResponse

    def complete_vpc_config(backend, cluster):
        vpc = dict(cluster.resources_vpc_config or {})
        vpc.setdefault("subnetIds", [])
        vpc.setdefault("securityGroupIds", [])
        vpc.setdefault("endpointPublicAccess", True)
        vpc.setdefault("endpointPrivateAccess", False)
        if not vpc.get("publicAccessCidrs"):
            vpc["publicAccessCidrs"] = ["0.0.0.0/0"]
        if "vpcId" not in vpc and vpc["subnetIds"]:
            try:
                ec2 = ec2_backends[backend.account_id][backend.region_name]
                vpc["vpcId"] = ec2.get_subnet(vpc["subnetIds"][0]).vpc_id
            except Exception:  # noqa: BLE001 - an unknown subnet leaves the VPC out, as before
                pass
        cluster.resources_vpc_config = vpc

    original_create = EKSResponse.create_cluster

    def create_cluster(self):
        result = original_create(self)
        cluster = self.eks_backend.clusters.get(self._get_param("name"))
        if cluster is not None:
            access = self._get_param("accessConfig") or {}
            cluster.access_config = {"authenticationMode": access.get("authenticationMode") or "CONFIG_MAP"}
            complete_vpc_config(self.eks_backend, cluster)
        return result

    def update_cluster_config(self):
        from moto.core.responses import ActionResult

        name = self._get_param("name")
        cluster = _eks_cluster(self.eks_backend, name)
        params = []
        vpc = self._get_param("resourcesVpcConfig")
        if vpc:
            merged = dict(cluster.resources_vpc_config or {})
            merged.update({k: v for k, v in vpc.items() if v is not None})
            cluster.resources_vpc_config = merged
            complete_vpc_config(self.eks_backend, cluster)
            params += [(k[0].upper() + k[1:], v) for k, v in sorted(vpc.items())]
        logging = self._get_param("logging")
        if logging:
            cluster.logging = logging
            params.append(("ClusterLogging", logging))
        access = self._get_param("accessConfig")
        if access and access.get("authenticationMode"):
            cluster.access_config = {"authenticationMode": access["authenticationMode"]}
            params.append(("AuthenticationMode", access["authenticationMode"]))
        for key in ("kubernetesNetworkConfig", "remoteNetworkConfig", "upgradePolicy", "zonalShiftConfig"):
            value = self._get_param(key)
            if value:
                setattr(cluster, {"kubernetesNetworkConfig": "kubernetes_network_config"}.get(key, key), value)
        kind = "EndpointAccessUpdate" if vpc else "LoggingUpdate" if logging else "AccessConfigUpdate"
        return ActionResult({"update": _eks_update(kind, params)})

    EKSResponse.create_cluster = create_cluster
    EKSResponse.update_cluster_config = update_cluster_config


@patch(
    "eks:CreateNodegroup / DescribeNodegroup (defaults)",
    moto_does="gives every node group remoteAccess {ec2SshKey: eksKeypair} even when none was "
    "asked for (an SSH-open node group that nobody configured), a diskSize and instanceTypes "
    "even when a launch template provides them, Kubernetes version 1.19 whatever the cluster "
    "runs, and drops the request's updateConfig (DescribeNodegroup has none)",
    aws_does="no remoteAccess unless requested; with a launch template no diskSize, and "
    "instanceTypes only when given; the version defaults to the cluster's; updateConfig as "
    "requested, {maxUnavailable: 1} by default",
)
def _eks_nodegroup_defaults():
    from moto.eks.models import EKSBackend
    from moto.eks.responses import EKSResponse

    original = EKSBackend.create_nodegroup

    def create_nodegroup(self, cluster_name, node_role, nodegroup_name, subnets, **kwargs):
        nodegroup = original(self, cluster_name, node_role, nodegroup_name, subnets, **kwargs)
        if not kwargs.get("remote_access"):
            nodegroup.remote_access = None
        if kwargs.get("launch_template"):
            if not kwargs.get("disk_size"):
                nodegroup.disk_size = None
            if not kwargs.get("instance_types"):
                nodegroup.instance_types = None
        elif not kwargs.get("disk_size"):
            nodegroup.disk_size = 20
        if not kwargs.get("version"):
            nodegroup.version = self.clusters[cluster_name].version
        return nodegroup

    original_response = EKSResponse.create_nodegroup

    def create_nodegroup_response(self):
        result = original_response(self)
        cluster = self.eks_backend.clusters.get(self._get_param("name"))
        nodegroup = cluster and cluster.nodegroups.get(self._get_param("nodegroupName"))
        if nodegroup is not None:
            nodegroup.update_config = self._get_param("updateConfig") or {"maxUnavailable": 1}
            if self._get_param("nodeRepairConfig"):
                nodegroup.node_repair_config = self._get_param("nodeRepairConfig")
        return result

    EKSBackend.create_nodegroup = create_nodegroup
    EKSResponse.create_nodegroup = create_nodegroup_response


@patch(
    "eks:CreateNodegroup / UpdateNodegroupConfig / DeleteNodegroup (Auto Scaling group)",
    moto_does="names an Auto Scaling group eks-<uuid> in the node group's resources but creates "
    "none; scaling changes reach nothing",
    aws_does="creates a launch template eks-<uuid> (a copy of the node group's template, tagged "
    "eks:cluster-name / eks:nodegroup-name) and an Auto Scaling group eks-<nodegroup>-<uuid> "
    "on it with the node group's scaling config, tagged eks:cluster-name, eks:nodegroup-name, "
    "k8s.io/cluster-autoscaler/*; UpdateNodegroupConfig's scalingConfig is applied to the group "
    "(by the service-linked role AWSServiceRoleForAmazonEKSNodegroup); DeleteNodegroup deletes both",
)
def _eks_nodegroup_auto_scaling_group():
    from moto.autoscaling.models import autoscaling_backends
    from moto.ec2.models import ec2_backends
    from moto.eks.models import EKSBackend

    def backends(eks):
        return ec2_backends[eks.account_id][eks.region_name], autoscaling_backends[eks.account_id][eks.region_name]

    original_create = EKSBackend.create_nodegroup

    def create_nodegroup(self, cluster_name, node_role, nodegroup_name, subnets, **kwargs):
        nodegroup = original_create(self, cluster_name, node_role, nodegroup_name, subnets, **kwargs)
        ec2, autoscaling = backends(self)
        eks_tags = {"eks:cluster-name": cluster_name, "eks:nodegroup-name": nodegroup_name}
        data = {}
        spec = nodegroup.launch_template or {}
        if spec.get("id"):
            template = ec2.describe_launch_templates(template_ids=[spec["id"]])[0]
            data = dict(template.get_version(spec.get("version") or "$Default").data)
        data.setdefault("InstanceType", (nodegroup.instance_types or ["t3.medium"])[0])
        if "ImageId" not in data:
            # EKS puts its optimized Amazon Linux AMI (root device /dev/xvda) in the copy.
            # The emulator's own "amazon-eks-node-linux" image has /dev/sda1, so its Amazon
            # Linux 2 image stands in.
            images = [
                i
                for i in ec2.describe_images(owners=["amazon"])
                if (i.name or "").startswith("amzn2-ami-hvm-") and (i.name or "").endswith("x86_64-gp2")
            ]
            if images:
                data["ImageId"] = sorted(images, key=lambda i: i.name)[-1].id
        data["TagSpecifications"] = [
            {"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in eks_tags.items()]}
        ]
        copy = ec2.create_launch_template(
            f"eks-{nodegroup.uuid}", "", data, {"launch-template": dict(eks_tags)}
        )
        scaling = nodegroup.scaling_config or {}
        asg_name = f"eks-{nodegroup_name}-{nodegroup.uuid}"
        tags = dict(eks_tags)
        tags["k8s.io/cluster-autoscaler/enabled"] = "true"
        tags[f"k8s.io/cluster-autoscaler/{cluster_name}"] = "owned"
        tags[f"kubernetes.io/cluster/{cluster_name}"] = "owned"
        autoscaling.create_auto_scaling_group(
            name=asg_name,
            availability_zones=[],
            desired_capacity=scaling.get("desiredSize"),
            max_size=scaling.get("maxSize"),
            min_size=scaling.get("minSize"),
            launch_config_name=None,
            launch_template={"LaunchTemplateId": copy.id, "Version": "1"},
            vpc_zone_identifier=",".join(subnets),
            default_cooldown=None,
            health_check_period=15,
            health_check_type="EC2",
            load_balancers=[],
            target_group_arns=[],
            placement_group=None,
            termination_policies=["AllocationStrategy", "OldestLaunchTemplate", "OldestInstance"],
            tags=[
                {
                    "ResourceId": asg_name,
                    "ResourceType": "auto-scaling-group",
                    "Key": k,
                    "Value": v,
                    "PropagateAtLaunch": True,
                }
                for k, v in tags.items()
            ],
        )
        nodegroup.resources["autoScalingGroups"] = [{"name": asg_name}]
        nodegroup._plumb_launch_template_id = copy.id
        return nodegroup

    original_update = EKSBackend.update_nodegroup_config

    def update_nodegroup_config(self, cluster_name, nodegroup_name, **kwargs):
        update = original_update(self, cluster_name, nodegroup_name, **kwargs)
        scaling = kwargs.get("scaling_config")
        nodegroup = self.clusters[cluster_name].nodegroups[nodegroup_name]
        if scaling:
            _, autoscaling = backends(self)
            for group in nodegroup.resources.get("autoScalingGroups", []):
                if group["name"] in autoscaling.autoscaling_groups:
                    autoscaling.update_auto_scaling_group(
                        name=group["name"],
                        availability_zones=[],
                        desired_capacity=scaling.get("desiredSize"),
                        max_size=scaling.get("maxSize"),
                        min_size=scaling.get("minSize"),
                        launch_config_name=None,
                        launch_template={},
                        vpc_zone_identifier=None,
                        health_check_period=None,
                        health_check_type=None,
                    )
        return update

    original_delete = EKSBackend.delete_nodegroup

    def delete_nodegroup(self, cluster_name, nodegroup_name):
        nodegroup = original_delete(self, cluster_name, nodegroup_name)
        ec2, autoscaling = backends(self)
        for group in nodegroup.resources.get("autoScalingGroups", []):
            if group["name"] in autoscaling.autoscaling_groups:
                autoscaling.delete_auto_scaling_group(group["name"])
        template_id = getattr(nodegroup, "_plumb_launch_template_id", None)
        if template_id:
            ec2.delete_launch_template(None, template_id)
        return nodegroup

    EKSBackend.create_nodegroup = create_nodegroup
    EKSBackend.update_nodegroup_config = update_nodegroup_config
    EKSBackend.delete_nodegroup = delete_nodegroup


def _eks_access_entries_of(cluster):
    if not hasattr(cluster, "_plumb_access_entries"):
        cluster._plumb_access_entries = {}
    return cluster._plumb_access_entries


def _eks_new_access_entry(cluster, principal, region, account, kind="STANDARD", username=None, groups=None, tags=None):
    """An access entry as DescribeAccessEntry answers it (policies kept privately)."""
    from moto.core.utils import utcnow
    from moto.moto_api._internal import mock_random as random

    now = utcnow()
    resource = principal.split(":", 5)[-1]
    if username is None:
        if kind.startswith("EC2_"):
            username = "system:node:{{EC2PrivateDNSName}}"
        elif resource.startswith("role/"):
            # A role's sessions: arn:aws:sts::<account>:assumed-role/<name>/{{SessionName}}.
            username = f"arn:aws:sts::{principal.split(':')[4]}:assumed-role/{resource.rsplit('/', 1)[-1]}/{{{{SessionName}}}}"
        else:
            username = principal
    entry = {
        "clusterName": cluster.name,
        "principalArn": principal,
        "kubernetesGroups": groups or [],
        "accessEntryArn": f"arn:aws:eks:{region}:{account}:access-entry/{cluster.name}/"
        f"{resource.split('/', 1)[0]}/{account}/{resource.rsplit('/', 1)[-1]}/{random.uuid4()}",
        "createdAt": now,
        "modifiedAt": now,
        "tags": tags or {},
        "username": username,
        "type": kind,
        "_policies": {},
    }
    _eks_access_entries_of(cluster)[principal] = entry
    return entry


@patch(
    "eks:CreateNodegroup (access entry for the node role)",
    moto_does="creates no access entry for the node group's role",
    aws_does="on a cluster whose authentication mode is API or API_AND_CONFIG_MAP, adds an "
    "access entry of type EC2_LINUX (EC2_WINDOWS for Windows AMIs) for the node role, username "
    "system:node:{{EC2PrivateDNSName}}, unless the role already has one",
)
def _eks_nodegroup_access_entry():
    from moto.eks.models import EKSBackend

    original = EKSBackend.create_nodegroup

    def create_nodegroup(self, cluster_name, node_role, nodegroup_name, subnets, **kwargs):
        nodegroup = original(self, cluster_name, node_role, nodegroup_name, subnets, **kwargs)
        cluster = self.clusters[cluster_name]
        mode = (getattr(cluster, "access_config", None) or {}).get("authenticationMode", "CONFIG_MAP")
        if mode != "CONFIG_MAP" and node_role not in _eks_access_entries_of(cluster):
            kind = "EC2_WINDOWS" if "WINDOWS" in (nodegroup.ami_type or "").upper() else "EC2_LINUX"
            _eks_new_access_entry(cluster, node_role, self.region_name, self.account_id, kind=kind)
        return nodegroup

    EKSBackend.create_nodegroup = create_nodegroup


def _eks_routes(paths):
    from moto.eks import urls

    for path in paths:
        urls.url_paths[path] = urls.response.dispatch


def _eks_page(items, response, key):
    """One page of a list API: every item (the lists here are short), sorted."""
    return {key: sorted(items), "nextToken": None}


@patch(
    "eks:CreateAddon / DescribeAddon / UpdateAddon / DeleteAddon / ListAddons",
    moto_does="not implemented (404): an aws_eks_addon cannot be applied",
    aws_does="installs the add-on on the cluster (status ACTIVE, a default version when none is "
    "given), describes, updates, lists and deletes it",
)
def _eks_addons():
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.eks.exceptions import ResourceInUseException
    from moto.eks.responses import EKSResponse
    from moto.moto_api._internal import mock_random as random

    _eks_routes(
        [
            "{0}/clusters/(?P<name>[^/]+)/addons$",
            "{0}/clusters/(?P<name>[^/]+)/addons/(?P<addonName>[^/]+)$",
            "{0}/clusters/(?P<name>[^/]+)/addons/(?P<addonName>[^/]+)/update$",
        ]
    )
    default_versions = {"vpc-cni": "v1.19.2-eksbuild.1", "coredns": "v1.11.4-eksbuild.2", "kube-proxy": "v1.31.3-eksbuild.2"}

    def addons(cluster):
        if not hasattr(cluster, "_plumb_addons"):
            cluster._plumb_addons = {}
        return cluster._plumb_addons

    def find(self):
        cluster = _eks_cluster(self.eks_backend, self._get_param("name"))
        name = self._get_param("addonName")
        addon = addons(cluster).get(name)
        if addon is None:
            raise _eks_not_found(f"No addon: {name} found in cluster: {cluster.name}")
        return cluster, addon

    def create_addon(self):
        cluster = _eks_cluster(self.eks_backend, self._get_param("name"))
        name = self._get_param("addonName")
        if name in addons(cluster):
            raise ResourceInUseException(
                clusterName=cluster.name, nodegroupName=None, addonName=name, message=f"Addon already exists with name: {name}"
            )
        now = utcnow()
        addon = {
            "addonName": name,
            "clusterName": cluster.name,
            "status": "ACTIVE",
            "addonVersion": self._get_param("addonVersion") or default_versions.get(name, "v1.0.0-eksbuild.1"),
            "health": {"issues": []},
            "addonArn": f"arn:aws:eks:{self.region}:{self.current_account}:addon/{cluster.name}/{name}/{random.uuid4()}",
            "createdAt": now,
            "modifiedAt": now,
            "tags": self._get_param("tags") or {},
            "podIdentityAssociations": [],
        }
        for key in ("serviceAccountRoleArn", "configurationValues"):
            if self._get_param(key):
                addon[key] = self._get_param(key)
        addons(cluster)[name] = addon
        return ActionResult({"addon": addon})

    def describe_addon(self):
        _, addon = find(self)
        return ActionResult({"addon": addon})

    def update_addon(self):
        _, addon = find(self)
        params = []
        for key in ("addonVersion", "serviceAccountRoleArn", "configurationValues"):
            value = self._get_param(key)
            if value is not None:
                addon[key] = value
                params.append((key[0].upper() + key[1:], value))
        addon["modifiedAt"] = utcnow()
        return ActionResult({"update": _eks_update("AddonUpdate", params)})

    def delete_addon(self):
        cluster, addon = find(self)
        del addons(cluster)[addon["addonName"]]
        return ActionResult({"addon": dict(addon, status="DELETING")})

    def list_addons(self):
        cluster = _eks_cluster(self.eks_backend, self._get_param("name"))
        return ActionResult(_eks_page(addons(cluster).keys(), self, "addons"))

    for fn in (create_addon, describe_addon, update_addon, delete_addon, list_addons):
        setattr(EKSResponse, fn.__name__, fn)


@patch(
    "eks:CreateAccessEntry / DescribeAccessEntry / DeleteAccessEntry / ListAccessEntries / "
    "AssociateAccessPolicy / DisassociateAccessPolicy / ListAssociatedAccessPolicies",
    moto_does="not implemented (404): aws_eks_access_entry and aws_eks_access_policy_association "
    "cannot be applied",
    aws_does="creates, describes, lists and deletes access entries (type STANDARD by default, the "
    "principal's default username), and associates access policies with them at cluster or "
    "namespace scope",
)
def _eks_access_entries():
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.eks.exceptions import ResourceInUseException
    from moto.eks.responses import EKSResponse

    _eks_routes(
        [
            "{0}/clusters/(?P<name>[^/]+)/access-entries$",
            "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)/access-policies$",
            "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)/access-policies/(?P<policyArn>.+)$",
            "{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<principalArn>.+)$",
        ]
    )

    entries = _eks_access_entries_of

    def find(self):
        cluster = _eks_cluster(self.eks_backend, self._get_param("name"))
        principal = self._get_param("principalArn")
        entry = entries(cluster).get(principal)
        if entry is None:
            raise _eks_not_found(f"The specified principalArn could not be found: {principal}")
        return cluster, entry

    def public(entry):
        return {k: v for k, v in entry.items() if not k.startswith("_")}

    def create_access_entry(self):
        cluster = _eks_cluster(self.eks_backend, self._get_param("name"))
        principal = self._get_param("principalArn")
        if principal in entries(cluster):
            raise ResourceInUseException(
                clusterName=cluster.name, nodegroupName=None, addonName=None,
                message="The specified access entry resource is already in use on this cluster.",
            )
        entry = _eks_new_access_entry(
            cluster,
            principal,
            self.region,
            self.current_account,
            kind=self._get_param("type") or "STANDARD",
            username=self._get_param("username"),
            groups=self._get_param("kubernetesGroups"),
            tags=self._get_param("tags"),
        )
        return ActionResult({"accessEntry": public(entry)})

    def describe_access_entry(self):
        _, entry = find(self)
        return ActionResult({"accessEntry": public(entry)})

    def update_access_entry(self):
        _, entry = find(self)
        for key in ("kubernetesGroups", "username"):
            value = self._get_param(key)
            if value is not None:
                entry[key] = value
        entry["modifiedAt"] = utcnow()
        return ActionResult({"accessEntry": public(entry)})

    def delete_access_entry(self):
        cluster, entry = find(self)
        del entries(cluster)[entry["principalArn"]]
        return ActionResult({})

    def list_access_entries(self):
        cluster = _eks_cluster(self.eks_backend, self._get_param("name"))
        arns = [e["principalArn"] for e in entries(cluster).values()]
        return ActionResult(_eks_page(arns, self, "accessEntries"))

    def associate_access_policy(self):
        cluster, entry = find(self)
        policy = self._get_param("policyArn")
        now = utcnow()
        previous = entry["_policies"].get(policy)
        association = {
            "policyArn": policy,
            "accessScope": self._get_param("accessScope") or {"type": "cluster"},
            "associatedAt": previous["associatedAt"] if previous else now,
            "modifiedAt": now,
        }
        association["accessScope"].setdefault("namespaces", [])
        entry["_policies"][policy] = association
        return ActionResult(
            {"clusterName": cluster.name, "principalArn": entry["principalArn"], "associatedAccessPolicy": association}
        )

    def disassociate_access_policy(self):
        _, entry = find(self)
        policy = self._get_param("policyArn")
        if entry["_policies"].pop(policy, None) is None:
            raise _eks_not_found(f"The specified policy is not associated: {policy}")
        return ActionResult({})

    def list_associated_access_policies(self):
        cluster, entry = find(self)
        policies = [entry["_policies"][k] for k in sorted(entry["_policies"])]
        return ActionResult(
            {
                "clusterName": cluster.name,
                "principalArn": entry["principalArn"],
                "associatedAccessPolicies": policies,
                "nextToken": None,
            }
        )

    for fn in (
        create_access_entry,
        describe_access_entry,
        update_access_entry,
        delete_access_entry,
        list_access_entries,
        associate_access_policy,
        disassociate_access_policy,
        list_associated_access_policies,
    ):
        setattr(EKSResponse, fn.__name__, fn)



@patch(
    "ec2:CreateLaunchTemplate (TagSpecifications)",
    moto_does="copies the request's TagSpecifications for the template itself (ResourceType "
    "launch-template) into the version's LaunchTemplateData: DescribeLaunchTemplateVersions "
    "shows a tag specification nobody configured (Terraform plans to remove it after every apply)",
    aws_does="tags the launch template with them; LaunchTemplateData keeps only its own tag "
    "specifications (instance, volume, network-interface, ...), where launch-template is not allowed",
)
def _ec2_launch_template_tag_specifications():
    from moto.ec2.models import EC2Backend

    original = EC2Backend.create_launch_template

    def create_launch_template(self, name, description, template_data, tag_spec):
        specs = template_data.get("TagSpecifications")
        if specs:
            kept = [s for s in specs if s.get("ResourceType") != "launch-template"]
            if kept:
                template_data["TagSpecifications"] = kept
            else:
                del template_data["TagSpecifications"]
        return original(self, name, description, template_data, tag_spec)

    EC2Backend.create_launch_template = create_launch_template



@patch(
    "ec2:RunInstances (launch template settings, root volume)",
    moto_does="ignores a launch template's MetadataOptions (instances answer http_tokens "
    "optional whatever the template says), and always attaches its own unencrypted 8 GiB root "
    "volume at /dev/sda1, whatever the image's root device: a template mapping for the "
    "image's root device (/dev/xvda on Amazon Linux) becomes a second volume next to it",
    aws_does="applies the template's MetadataOptions; the root volume sits at the image's root "
    "device name, and a block device mapping naming that device replaces it (size, type, "
    "encryption)",
)
def _ec2_run_instances_from_template():
    from moto.ec2.models import EC2Backend
    from moto.ec2.models.instances import Instance, MetadataOptions

    original_defaults = Instance.setup_defaults

    def setup_defaults(self):
        original_defaults(self)
        self._plumb_default_root = self.block_device_mapping.get("/dev/sda1")

    original_run = EC2Backend.run_instances

    def run_instances(self, image_id, count, user_data, security_group_names, **kwargs):
        reservation = original_run(self, image_id, count, user_data, security_group_names, **kwargs)
        template = None
        if kwargs.get("launch_template"):
            template = self._get_template_from_args(kwargs["launch_template"]).data
        for instance in reservation.instances:
            if template and not kwargs.get("metadata_options") and template.get("MetadataOptions"):
                instance.metadata_options = MetadataOptions(template["MetadataOptions"])
            default = getattr(instance, "_plumb_default_root", None)
            if default is None:
                continue
            root = instance.root_device_name
            current = instance.block_device_mapping.get(root)
            if current is not None and current.volume_id != default.volume_id:
                # A mapping names the root device: it is the root volume.
                if instance.block_device_mapping.get("/dev/sda1") is default:
                    self.detach_volume(default.volume_id, instance.id, "/dev/sda1")
                else:
                    self.get_volume(default.volume_id).attachment = None
                self.delete_volume(default.volume_id)
            elif root != "/dev/sda1":
                # The image's root device is not /dev/sda1: move the root volume there.
                self.detach_volume(default.volume_id, instance.id, "/dev/sda1")
                self.attach_volume(default.volume_id, instance.id, root, True)
        return reservation

    Instance.setup_defaults = setup_defaults
    EC2Backend.run_instances = run_instances



@patch(
    "ec2:CreateLaunchTemplateVersion (SourceVersion)",
    moto_does="ignores SourceVersion: the new version holds only the LaunchTemplateData of the "
    "request (a version that only changes the metadata options loses the block devices, "
    "security groups and tag specifications), and keeps its UserData undecoded",
    aws_does="starts the new version from the source version's data and overrides the "
    "top-level settings the request names",
)
def _ec2_launch_template_version_source():
    from moto.core.responses import ActionResult
    from moto.ec2.responses.launch_templates import LaunchTemplates
    from moto.ec2.utils import parse_user_data

    def create_launch_template_version(self):
        name = self._get_param("LaunchTemplateName")
        template_id = self._get_param("LaunchTemplateId")
        if template_id:
            template = self.ec2_backend.get_launch_template(template_id)
        else:
            template = self.ec2_backend.get_launch_template_by_name(name)
        requested = self._get_param("LaunchTemplateData", {})
        if "UserData" in requested:
            requested["UserData"] = parse_user_data(self._get_param("LaunchTemplateData.UserData"))
        source = self._get_param("SourceVersion")
        data = dict(template.get_version(source).data) if source else {}
        data.update(requested)
        self.error_on_dryrun()
        version = template.create_version(data, self._get_param("VersionDescription"))
        return ActionResult(
            {
                "LaunchTemplateVersion": {
                    "CreateTime": version.create_time,
                    "CreatedBy": f"arn:{self.partition}:iam::{self.current_account}:root",
                    "DefaultVersion": template.is_default(version),
                    "LaunchTemplateData": version.data,
                    "LaunchTemplateId": template.id,
                    "LaunchTemplateName": template.name,
                    "VersionDescription": version.description,
                    "VersionNumber": version.number,
                }
            }
        )

    LaunchTemplates.create_launch_template_version = create_launch_template_version



@patch(
    "IAM enforcement: signatures of REST requests (EKS reads)",
    moto_does="when it checks a signature, uses the request's parsed data as the payload whenever "
    "the body is empty (for REST-JSON services such as EKS that data is the request's headers), "
    "and the URL-decoded path (an encoded ARN in the path, /access-entries/arn%3A...%2Fadmin, "
    "signs differently): every EKS read answers SignatureDoesNotMatch once IAM is enforced",
    aws_does="signs a GET, HEAD or DELETE without a body with the empty payload, and the path "
    "as sent",
)
def _iam_signature_of_rest_requests():
    from urllib.parse import urlparse

    from botocore.awsrequest import AWSRequest
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.iam.access_control import IAMRequestBase

    original_authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action

    def _authenticate_and_authorize_normal_action(self, resource="*"):
        raw = getattr(self, "raw_path", None)
        uri = getattr(self, "uri", None)
        if not raw or not uri or raw == urlparse(uri).path:
            return original_authorize(self, resource)
        self.uri = urlparse(uri)._replace(path=raw).geturl()
        try:
            return original_authorize(self, resource)
        finally:
            self.uri = uri

    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authenticate_and_authorize_normal_action

    original = IAMRequestBase._create_aws_request

    def _create_aws_request(self):
        if self._body or self._method not in ("GET", "HEAD", "DELETE"):
            return original(self)
        signed_headers = self._get_string_between("SignedHeaders=", ",", self._headers["Authorization"]).split(";")
        headers = self._create_headers_for_aws_request(signed_headers, self._headers)
        request = AWSRequest(method=self._method, url=self._path, data=b"", headers=headers)
        request.context["timestamp"] = headers["X-Amz-Date"]
        return request

    IAMRequestBase._create_aws_request = _create_aws_request


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


@patch(
    "sts:AssumeRole (a role that does not exist, or does not trust the caller)",
    moto_does="grants any AssumeRole, for any role ARN in any account, whether the role exists or "
    "not and whatever its trust policy and the request's ExternalId say",
    aws_does="answers AccessDenied (\"User: ... is not authorized to perform: sts:AssumeRole on "
    "resource: ...\") unless the role exists and its trust policy allows the caller, with every "
    "condition met (sts:ExternalId among them)",
)
def _sts_assume_role_checks_the_role():
    import json

    from moto.core.exceptions import ServiceException
    from moto.iam.models import iam_backends
    from moto.sts.responses import TokenResponse

    class AccessDenied(ServiceException):
        code = "AccessDenied"

    def as_list(v):
        return v if isinstance(v, list) else [] if v is None else [v]

    def allows(policy, caller_account, external_id):
        # The principal is matched by account (its root, its id, any ARN in it, or "*"): the
        # emulator's callers are the harness's keys, not distinct people.
        for st in as_list(policy.get("Statement")):
            if st.get("Effect") != "Allow":
                continue
            if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in as_list(st.get("Action"))):
                continue
            principal = st.get("Principal")
            aws = as_list(principal.get("AWS")) if isinstance(principal, dict) else as_list(principal)
            if not any(p == "*" or p == caller_account or f":{caller_account}:" in str(p) for p in aws):
                continue
            wanted = (st.get("Condition") or {}).get("StringEquals", {}).get("sts:ExternalId")
            if wanted is not None and external_id not in as_list(wanted):
                continue
            return True
        return False

    original = TokenResponse.assume_role

    def assume_role(self):
        role_arn = self._get_param("RoleArn") or ""
        external_id = self._get_param("ExternalId")
        caller = self.current_account
        denied = AccessDenied(
            f"User: arn:{self.partition}:iam::{caller}:user/moto is not authorized to perform: "
            f"sts:AssumeRole on resource: {role_arn}"
        )
        parts = role_arn.split(":")
        if len(parts) < 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
            raise denied
        try:
            role = iam_backends[parts[4]][self.partition].get_role_by_arn(role_arn)
        except Exception:  # noqa: BLE001 - no such account or role: denied, as AWS answers
            raise denied from None
        try:
            policy = json.loads(role.assume_role_policy_document or "{}")
        except ValueError:
            raise denied from None
        if not allows(policy, caller, external_id):
            raise denied
        return original(self)

    TokenResponse.assume_role = assume_role


@patch(
    "autoscaling:PutScalingPolicy / DescribePolicies (Enabled)",
    moto_does="ignores the Enabled parameter and answers no Enabled field, so Terraform stores "
    "enabled = false for every policy and a policy disabled out of band cannot be seen; answers "
    "an empty PredictiveScalingConfiguration for every policy",
    aws_does="stores Enabled (true unless the request says false) and answers it in "
    "DescribePolicies; PredictiveScalingConfiguration only for predictive policies",
)
def _autoscaling_policy_enabled():
    from moto.autoscaling.responses import AutoScalingResponse

    original = AutoScalingResponse.put_scaling_policy

    def put_scaling_policy(self):
        result = original(self)
        policy = self.autoscaling_backend.policies.get(self._get_param("PolicyName"))
        if policy is not None:
            enabled = self._get_param("Enabled")
            policy.enabled = enabled not in (False, "false", "False")
            # An empty PredictiveScalingConfiguration element on every policy is moto's too.
            if not policy.predictive_scaling_configuration:
                policy.predictive_scaling_configuration = None
        return result

    AutoScalingResponse.put_scaling_policy = put_scaling_policy


@patch(
    "autoscaling:PutNotificationConfiguration / DescribeNotificationConfigurations / "
    "DeleteNotificationConfiguration",
    moto_does="does not implement them (Terraform cannot create aws_autoscaling_notification, "
    "and a read of the notification configurations fails)",
    aws_does="keeps, per group and SNS topic, the notification types to publish; "
    "PutNotificationConfiguration replaces that pair's types, DescribeNotificationConfigurations "
    "answers one entry per group, topic and type (all groups, or the named ones), "
    "DeleteNotificationConfiguration removes the pair",
)
def _autoscaling_notifications():
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import ActionResult, EmptyResult

    def store(backend):
        if not hasattr(backend, "_plumb_notifications"):
            backend._plumb_notifications = {}
        return backend._plumb_notifications

    def group_exists(backend, name):
        from moto.autoscaling.exceptions import ValidationError

        if name not in backend.autoscaling_groups:
            raise ValidationError(f"AutoScalingGroup name not found - {name}")

    def put_notification_configuration(self):
        group = self._get_param("AutoScalingGroupName")
        group_exists(self.autoscaling_backend, group)
        topic = self._get_param("TopicARN")
        types = self._get_param("NotificationTypes", [])
        store(self.autoscaling_backend)[(group, topic)] = sorted(set(types))
        return EmptyResult()

    def describe_notification_configurations(self):
        names = self._get_param("AutoScalingGroupNames", [])
        backend = self.autoscaling_backend
        live = set(backend.autoscaling_groups)
        out = []
        for (group, topic), types in sorted(store(backend).items()):
            if group not in live or (names and group not in names):
                continue
            out.extend(
                {"AutoScalingGroupName": group, "TopicARN": topic, "NotificationType": t} for t in types
            )
        return ActionResult({"NotificationConfigurations": out})

    def delete_notification_configuration(self):
        group = self._get_param("AutoScalingGroupName")
        topic = self._get_param("TopicARN")
        store(self.autoscaling_backend).pop((group, topic), None)
        return EmptyResult()

    AutoScalingResponse.put_notification_configuration = put_notification_configuration
    AutoScalingResponse.describe_notification_configurations = describe_notification_configurations
    AutoScalingResponse.delete_notification_configuration = delete_notification_configuration


@patch(
    "autoscaling:PutLifecycleHook",
    moto_does="ignores NotificationTargetARN, RoleARN and NotificationMetadata and answers a "
    "made-up SQS queue and role for every hook; an update of an existing hook resets every "
    "parameter it does not name to moto's default",
    aws_does="stores the target, role and metadata given (none when not given); updating an "
    "existing hook changes only the parameters the request names",
)
def _autoscaling_lifecycle_hook_fields():
    from moto.autoscaling.models import LifecycleHook
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import EmptyResult

    def put_lifecycle_hook(self):
        backend = self.autoscaling_backend
        group, name = self._get_param("AutoScalingGroupName"), self._get_param("LifecycleHookName")
        key = f"{group}_{name}"
        hook = backend.lifecycle_hooks.get(key)
        if hook is None:
            hook = LifecycleHook(name, group, None, None, None)
            hook.role_arn = None
            hook.notification_target_arn = None
            hook.notification_metadata = None
            backend.lifecycle_hooks[key] = hook
        for param, attr in [
            ("LifecycleTransition", "lifecycle_transition"),
            ("DefaultResult", "default_result"),
            ("NotificationTargetARN", "notification_target_arn"),
            ("RoleARN", "role_arn"),
            ("NotificationMetadata", "notification_metadata"),
        ]:
            value = self._get_param(param)
            if value is not None:
                setattr(hook, attr, value)
        timeout = self._get_int_param("HeartbeatTimeout")
        if timeout is not None:
            hook.heartbeat_timeout = timeout
        return EmptyResult()

    AutoScalingResponse.put_lifecycle_hook = put_lifecycle_hook


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
