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
    "ec2:ModifySubnetAttribute (DNS64, AAAA records, hostname type)",
    moto_does="ignores EnableDns64, EnableResourceNameDnsAAAARecordOnLaunch and "
    "PrivateDnsHostnameTypeOnLaunch, and DescribeSubnets has no EnableDns64: a dual-stack subnet "
    "never applies (the provider waits 5 minutes for EnableDns64 and fails)",
    aws_does="sets each and answers them in DescribeSubnets (EnableDns64, "
    "PrivateDnsNameOptionsOnLaunch.HostnameType / EnableResourceNameDnsAAAARecord)",
)
def _ec2_subnet_dns_attributes():
    from moto.ec2.models.subnets import Subnet
    from moto.ec2.responses.subnets import Subnets

    Subnet.enable_dns64 = False
    original = Subnets.modify_subnet_attribute

    def modify_subnet_attribute(self):
        subnet = self.ec2_backend.get_subnet(self._get_param("SubnetId"))
        dns64 = self._get_param("EnableDns64.Value")
        if dns64 is not None:
            subnet.enable_dns64 = str(dns64).lower() == "true"
        aaaa = self._get_param("EnableResourceNameDnsAAAARecordOnLaunch.Value")
        if aaaa is not None:
            subnet.private_dns_name_options_on_launch["EnableResourceNameDnsAAAARecord"] = (
                str(aaaa).lower() == "true"
            )
        hostname = self._get_param("PrivateDnsHostnameTypeOnLaunch")
        if hostname:
            subnet.private_dns_name_options_on_launch["HostnameType"] = hostname
        return original(self)

    Subnets.modify_subnet_attribute = modify_subnet_attribute


@patch(
    "ec2:CreateVpcEndpoint",
    moto_does="gives an Interface endpoint's network interfaces the fields of one a user made "
    "(interface type `interface`, not requester-managed, no description), so they read as "
    "unmanaged interfaces",
    aws_does="makes them requester-managed, interface type `vpc_endpoint`, described "
    "\"VPC Endpoint Interface vpce-...\"",
)
def _ec2_vpc_endpoint_interfaces():
    from moto.ec2.models.vpcs import VPCBackend

    original = VPCBackend.create_vpc_endpoint

    def create_vpc_endpoint(self, *args, **kwargs):
        endpoint = original(self, *args, **kwargs)
        for eni_id in getattr(endpoint, "network_interface_ids", None) or []:
            eni = self.get_network_interface(eni_id)
            eni.requester_managed = True
            eni.interface_type = "vpc_endpoint"
            eni.description = f"VPC Endpoint Interface {endpoint.id}"
        return endpoint

    VPCBackend.create_vpc_endpoint = create_vpc_endpoint


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
    "s3:{Put,Get,Delete,List}BucketAnalyticsConfiguration(s)",
    moto_does="has no ?analytics handler: PUT is taken for CreateBucket (answered 200, nothing "
    "stored) and GET answers a ListObjects result, so aws_s3_bucket_analytics_configuration never "
    "reads its configuration back",
    aws_does="stores each storage-class analysis configuration by Id; Get answers it (404 "
    "NoSuchConfiguration when absent), List answers them all, Delete removes it",
)
def _s3_analytics():
    _s3_subresource(
        "analytics",
        "GetAnalyticsConfiguration",
        "PutAnalyticsConfiguration",
        "PutAnalyticsConfiguration",
        _s3_named_configurations(
            "plumb_analytics", "AnalyticsConfiguration", "ListBucketAnalyticsConfigurationResult"
        ),
    )


@patch(
    "s3:GetBucketInventoryConfiguration / ListBucketInventoryConfigurations",
    moto_does="answers IncludedObjectVersions All whatever was put (the provider then plans to set "
    "Current again after every apply), and keeps a one-element OptionalFields list as an object",
    aws_does="answers each inventory configuration as it was put",
)
def _s3_inventory():
    _s3_subresource(
        "inventory",
        "GetInventoryConfiguration",
        "PutInventoryConfiguration",
        "PutInventoryConfiguration",
        _s3_named_configurations(
            "plumb_inventory", "InventoryConfiguration", "ListInventoryConfigurationsResult"
        ),
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
    "cloudtrail:StartLogging / StopLogging / DeleteTrail (trail ARN)",
    moto_does="looks the trail up by name only: the ARN the provider sends answers HTTP 500 "
    "(KeyError) on StartLogging and StopLogging, so `aws_cloudtrail` never applies, and "
    "DeleteTrail by ARN deletes nothing",
    aws_does="accepts the trail's name or its ARN (`Name`) for every trail operation",
)
def _cloudtrail_name_or_arn():
    from moto.cloudtrail.models import CloudTrailBackend

    def start_logging(self, name):
        self.get_trail(name).start_logging()

    def stop_logging(self, name):
        self.get_trail(name).stop_logging()

    def delete_trail(self, name):
        for key, trail in list(self.trails.items()):
            if name in (key, trail.arn):
                del self.trails[key]

    CloudTrailBackend.start_logging = start_logging
    CloudTrailBackend.stop_logging = stop_logging
    CloudTrailBackend.delete_trail = delete_trail



# Security Hub's default standards (EnableSecurityHub with EnableDefaultStandards), as AWS names
# them in us-east-1: (standards ARN, subscription ARN suffix).
_SECURITYHUB_DEFAULT_STANDARDS = [
    ("arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0",
     "aws-foundational-security-best-practices/v/1.0.0"),
    ("arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
     "cis-aws-foundations-benchmark/v/1.2.0"),
]


@patch(
    "securityhub:UpdateSecurityHubConfiguration / BatchEnableStandards / GetEnabledStandards / "
    "BatchDisableStandards",
    moto_does="UpdateSecurityHubConfiguration answers HTTP 500 NotImplementedError (the provider "
    "calls it on every `aws_securityhub_account` create, so the account never applies); "
    "DescribeHub always answers AutoEnableControls true; EnableDefaultStandards subscribes "
    "nothing; the standards APIs do not exist (404), so `aws_securityhub_standards_subscription` "
    "cannot be applied or read",
    aws_does="stores AutoEnableControls and ControlFindingGenerator and answers them in "
    "DescribeHub; EnableSecurityHub subscribes the default standards (AWS Foundational Security "
    "Best Practices v1.0.0, CIS 1.2.0) unless EnableDefaultStandards is false; BatchEnableStandards "
    "subscribes a standard (subscription ARN "
    "arn:aws:securityhub:REGION:ACCOUNT:subscription/NAME/v/VERSION, status READY once set up), "
    "GetEnabledStandards lists the subscriptions (optionally by ARN), BatchDisableStandards "
    "removes them; every call on an account without Security Hub answers InvalidAccessException",
)
def _securityhub_configuration_and_standards():
    import json

    from moto.securityhub import urls
    from moto.securityhub.exceptions import SecurityHubClientError
    from moto.securityhub.models import SecurityHubBackend
    from moto.securityhub.responses import SecurityHubResponse

    for path in ("{0}/standards$", "{0}/standards/register$", "{0}/standards/get$", "{0}/standards/deregister$"):
        urls.url_paths[path] = SecurityHubResponse.dispatch

    def state(backend):
        if not hasattr(backend, "_plumb_hub"):
            backend._plumb_hub = {"AutoEnableControls": True, "ControlFindingGenerator": "SECURITY_CONTROL",
                                  "subscriptions": {}}
        return backend._plumb_hub

    def require_hub(backend):
        if not backend.enabled:
            raise SecurityHubClientError("InvalidAccessException",
                                         f"Account {backend.account_id} is not subscribed to AWS Security Hub")

    def subscribe(backend, standards_arn, inputs=None):
        name = standards_arn.split(":standards/", 1)[-1].split(":ruleset/", 1)[-1]
        sub_arn = f"arn:aws:securityhub:{backend.region_name}:{backend.account_id}:subscription/{name}"
        sub = {"StandardsSubscriptionArn": sub_arn, "StandardsArn": standards_arn,
               "StandardsInput": inputs or {}, "StandardsStatus": "READY",
               "StandardsControlsUpdatable": "READY_FOR_UPDATES"}
        state(backend)["subscriptions"][sub_arn] = sub
        return sub

    original_enable = SecurityHubBackend.enable_security_hub

    def enable_security_hub(self, enable_default_standards=True, tags=None):
        was = self.enabled
        out = original_enable(self, enable_default_standards=enable_default_standards, tags=tags)
        if not was:
            state(self)["subscriptions"] = {}
            if enable_default_standards:
                for arn, _ in _SECURITYHUB_DEFAULT_STANDARDS:
                    subscribe(self, arn.format(region=self.region_name))
        return out

    original_describe = SecurityHubBackend.describe_hub

    def describe_hub(self, hub_arn=None):
        out = original_describe(self, hub_arn=hub_arn)
        st = state(self)
        out["AutoEnableControls"] = st["AutoEnableControls"]
        out["ControlFindingGenerator"] = st["ControlFindingGenerator"]
        return out

    SecurityHubBackend.enable_security_hub = enable_security_hub
    SecurityHubBackend.describe_hub = describe_hub

    def body(self):
        return json.loads(self.body) if self.body else {}

    def update_security_hub_configuration(self):
        backend = self.securityhub_backend
        require_hub(backend)
        params = body(self)
        st = state(backend)
        for key in ("AutoEnableControls", "ControlFindingGenerator"):
            if key in params:
                st[key] = params[key]
        return json.dumps({})

    def batch_enable_standards(self):
        backend = self.securityhub_backend
        require_hub(backend)
        subs = [subscribe(backend, r["StandardsArn"], r.get("StandardsInput"))
                for r in body(self).get("StandardsSubscriptionRequests", [])]
        return json.dumps({"StandardsSubscriptions": subs})

    def get_enabled_standards(self):
        backend = self.securityhub_backend
        require_hub(backend)
        wanted = body(self).get("StandardsSubscriptionArns")
        subs = [s for arn, s in sorted(state(backend)["subscriptions"].items()) if not wanted or arn in wanted]
        return json.dumps({"StandardsSubscriptions": subs})

    def batch_disable_standards(self):
        backend = self.securityhub_backend
        require_hub(backend)
        gone = []
        for arn in body(self).get("StandardsSubscriptionArns", []):
            sub = state(backend)["subscriptions"].pop(arn, None)
            if sub:
                gone.append(dict(sub, StandardsStatus="DELETING"))
        return json.dumps({"StandardsSubscriptions": gone})

    SecurityHubResponse.update_security_hub_configuration = update_security_hub_configuration
    SecurityHubResponse.batch_enable_standards = batch_enable_standards
    SecurityHubResponse.get_enabled_standards = get_enabled_standards
    SecurityHubResponse.batch_disable_standards = batch_disable_standards



@patch(
    "cloudfront:CreateDistribution / UpdateDistribution (ViewerCertificate)",
    moto_does="sets CloudFrontDefaultCertificate true unless the request says false, also when it "
    "names an ACM or IAM certificate (the provider does not send the flag then): a distribution "
    "on its own certificate reads as using *.cloudfront.net's, whose viewer TLS floor is TLSv1",
    aws_does="CloudFrontDefaultCertificate is true only for the default *.cloudfront.net "
    "certificate; with ACMCertificateArn (IAMCertificateId) it is false, CertificateSource is "
    "acm (iam) and Certificate names it",
)
def _cloudfront_viewer_certificate():
    from moto.cloudfront.models import ViewerCertificate

    original = ViewerCertificate.__init__

    def __init__(self, config):
        original(self, config)
        own = self.acm_certificate_arn or self.iam_certificate_id
        if own and "CloudFrontDefaultCertificate" not in config:
            self.cloud_front_default_certificate = False
        if self.acm_certificate_arn:
            self.certificate_source, self.certificate = "acm", self.acm_certificate_arn
        elif self.iam_certificate_id:
            self.certificate_source, self.certificate = "iam", self.iam_certificate_id

    ViewerCertificate.__init__ = __init__


@patch(
    "cloudfront:CreateDistribution (ARN)",
    moto_does="names a distribution arn:aws:cloudfront:ACCOUNT:distribution/ID, without the empty "
    "region field: the account id takes the region's place, so the state's distribution looks "
    "like a resource of region 123456789012",
    aws_does="names it arn:aws:cloudfront::ACCOUNT:distribution/ID (CloudFront is global: the "
    "region field is empty)",
)
def _cloudfront_distribution_arn():
    from moto.cloudfront.models import Distribution

    original = Distribution.__init__

    def __init__(self, account_id, region_name, config):
        original(self, account_id, region_name, config)
        partition = self.arn.split(":")[1]
        self.arn = f"arn:{partition}:cloudfront::{account_id}:distribution/{self.distribution_id}"

    Distribution.__init__ = __init__
def _ec2_register_prefixes(**prefixes):
    """Teach moto's EC2 id helpers resource types it does not know (so that CreateTags,
    DeleteTags and DescribeTags accept their ids): resource type -> id prefix."""
    import moto.ec2.models as models
    import moto.ec2.utils as utils

    utils.EC2_RESOURCE_TO_PREFIX.update(prefixes)
    utils.EC2_PREFIX_TO_RESOURCE.update({v: k for k, v in prefixes.items()})
    known = tuple(f"{p}-" for p in prefixes.values())
    if getattr(utils.is_valid_resource_id, "_plumb_prefixes", None) is None:
        original = utils.is_valid_resource_id

        def is_valid_resource_id(resource_id):
            extra = is_valid_resource_id._plumb_prefixes
            return resource_id.startswith(extra) or original(resource_id)

        is_valid_resource_id._plumb_prefixes = ()
        utils.is_valid_resource_id = is_valid_resource_id
        models.is_valid_resource_id = is_valid_resource_id
    utils.is_valid_resource_id._plumb_prefixes += known


def _ec2_tags_of(backend, resource_id):
    """`[{Key, Value}]` of an EC2 resource, from moto's tag store."""
    return [{"Key": k, "Value": v} for k, v in sorted(backend.tags.get(resource_id, {}).items())]


def _ec2_tag_specification(response, resource_type):
    return response._parse_tag_specification().get(resource_type, {})


def _ec2_not_found(code, message):
    from moto.ec2.exceptions import EC2ClientError

    return EC2ClientError(code, message)


@patch(
    "ec2:CreateCustomerGateway (DeviceName, CertificateArn, BgpAsnExtended)",
    moto_does="drops DeviceName, CertificateArn and BgpAsnExtended: the provider stores "
    "device_name = \"\" and plans to replace the gateway at the next apply",
    aws_does="keeps them and answers them in DescribeCustomerGateways",
)
def _ec2_customer_gateway_fields():
    from moto.ec2.responses.customer_gateways import CustomerGateways

    original = CustomerGateways.create_customer_gateway

    def create_customer_gateway(self):
        result = original(self)
        gateway = result.result["CustomerGateway"]
        gateway.device_name = self._get_param("DeviceName")
        gateway.certificate_arn = self._get_param("CertificateArn")
        extended = self._get_param("BgpAsnExtended")
        gateway.bgp_asn_extended = str(extended) if extended is not None else None
        return result

    CustomerGateways.create_customer_gateway = create_customer_gateway


@patch(
    "ec2:EnableVgwRoutePropagation / DisableVgwRoutePropagation",
    moto_does="answers HTTP 500 NotImplementedError; `terraform apply` of "
    "aws_vpn_gateway_route_propagation fails, and DescribeRouteTables has no PropagatingVgws",
    aws_does="turns route propagation from a virtual private gateway on or off for a route "
    "table; DescribeRouteTables lists the gateways in PropagatingVgws",
)
def _ec2_vgw_route_propagation():
    from moto.core.responses import EmptyResult
    from moto.ec2.models.route_tables import RouteTable
    from moto.ec2.responses import EC2Response

    RouteTable.propagating_vgws = property(
        lambda self: [{"GatewayId": g} for g in sorted(getattr(self, "_plumb_vgws", set()))]
    )

    def switch(self, on):
        self.error_on_dryrun()
        table = self.ec2_backend.get_route_table(self._get_param("RouteTableId"))
        gateway = self._get_param("GatewayId")
        self.ec2_backend.get_vpn_gateway(gateway)
        vgws = set(getattr(table, "_plumb_vgws", set()))
        (vgws.add if on else vgws.discard)(gateway)
        table._plumb_vgws = vgws
        return EmptyResult()

    EC2Response.enable_vgw_route_propagation = lambda self: switch(self, True)
    EC2Response.disable_vgw_route_propagation = lambda self: switch(self, False)


@patch(
    "ec2:CreatePlacementGroup / DescribePlacementGroups / DeletePlacementGroup",
    moto_does="answers HTTP 500 NotImplementedError: aws_placement_group cannot be applied",
    aws_does="creates, describes (by name, id or filter) and deletes placement groups (cluster, "
    "spread, partition), each with its id pg-..., ARN, state available and tags",
)
def _ec2_placement_groups():
    from moto.core.responses import ActionResult, EmptyResult
    from moto.ec2.responses import EC2Response
    from moto.ec2.utils import random_id

    _ec2_register_prefixes(**{"placement-group": "pg"})

    def groups(backend):
        if not hasattr(backend, "_plumb_placement_groups"):
            backend._plumb_placement_groups = {}
        return backend._plumb_placement_groups

    def create_placement_group(self):
        self.error_on_dryrun()
        name = self._get_param("GroupName")
        store = groups(self.ec2_backend)
        if name in store:
            raise _ec2_not_found("InvalidPlacementGroup.Duplicate", f"The placement group '{name}' already exists.")
        group_id = random_id("pg")
        strategy = self._get_param("Strategy")
        group = {
            "GroupName": name,
            "GroupId": group_id,
            "GroupArn": f"arn:aws:ec2:{self.region}:{self.current_account}:placement-group/{name}",
            "State": "available",
            "Strategy": strategy,
        }
        if strategy == "partition":
            group["PartitionCount"] = int(self._get_param("PartitionCount") or 2)
        if strategy == "spread":
            group["SpreadLevel"] = self._get_param("SpreadLevel") or "rack"
        store[name] = group
        self.ec2_backend.create_tags([group_id], _ec2_tag_specification(self, "placement-group"))
        return ActionResult({"PlacementGroup": dict(group, Tags=_ec2_tags_of(self.ec2_backend, group_id))})

    def describe_placement_groups(self):
        self.error_on_dryrun()
        names = self._get_param("GroupNames", [])
        ids = self._get_param("GroupIds", [])
        filters = self._filters_from_querystring()
        out = []
        for g in groups(self.ec2_backend).values():
            if names and g["GroupName"] not in names:
                continue
            if ids and g["GroupId"] not in ids:
                continue
            if "group-name" in filters and g["GroupName"] not in filters["group-name"]:
                continue
            out.append(dict(g, Tags=_ec2_tags_of(self.ec2_backend, g["GroupId"])))
        for n in names:
            if not any(g["GroupName"] == n for g in out):
                raise _ec2_not_found("InvalidPlacementGroup.Unknown", f"The Placement Group '{n}' is unknown.")
        return ActionResult({"PlacementGroups": out})

    def delete_placement_group(self):
        self.error_on_dryrun()
        name = self._get_param("GroupName")
        group = groups(self.ec2_backend).pop(name, None)
        if group is None:
            raise _ec2_not_found("InvalidPlacementGroup.Unknown", f"The Placement Group '{name}' is unknown.")
        self.ec2_backend.tags.pop(group["GroupId"], None)
        return EmptyResult()

    EC2Response.create_placement_group = create_placement_group
    EC2Response.describe_placement_groups = describe_placement_groups
    EC2Response.delete_placement_group = delete_placement_group


@patch(
    "ec2:CreateCapacityReservation / DescribeCapacityReservations / ModifyCapacityReservation / "
    "CancelCapacityReservation",
    moto_does="answers HTTP 500 NotImplementedError: aws_ec2_capacity_reservation cannot be applied",
    aws_does="creates On-Demand Capacity Reservations (state active, ARN, owner, open or targeted "
    "matching, unlimited or limited end date), describes, modifies (count, end date) and cancels "
    "them (state cancelled, still described for a while)",
)
def _ec2_capacity_reservations():
    from datetime import datetime, timezone

    from moto.core.responses import ActionResult
    from moto.ec2.responses import EC2Response
    from moto.ec2.utils import random_id

    _ec2_register_prefixes(**{"capacity-reservation": "cr"})

    def reservations(backend):
        if not hasattr(backend, "_plumb_capacity_reservations"):
            backend._plumb_capacity_reservations = {}
        return backend._plumb_capacity_reservations

    def flag(name):
        return lambda self: self._get_param(name) in (True, "true")

    def create_capacity_reservation(self):
        self.error_on_dryrun()
        rid = random_id("cr")
        count = int(self._get_param("InstanceCount"))
        now = datetime.now(timezone.utc)
        end_date = self._get_param("EndDate")
        r = {
            "CapacityReservationId": rid,
            "OwnerId": self.current_account,
            "CapacityReservationArn": f"arn:aws:ec2:{self.region}:{self.current_account}:capacity-reservation/{rid}",
            "AvailabilityZone": self._get_param("AvailabilityZone"),
            "InstanceType": self._get_param("InstanceType"),
            "InstancePlatform": self._get_param("InstancePlatform"),
            "Tenancy": self._get_param("Tenancy") or "default",
            "TotalInstanceCount": count,
            "AvailableInstanceCount": count,
            "EbsOptimized": flag("EbsOptimized")(self),
            "EphemeralStorage": flag("EphemeralStorage")(self),
            "State": "active",
            "StartDate": now,
            "EndDateType": self._get_param("EndDateType") or "unlimited",
            "InstanceMatchCriteria": self._get_param("InstanceMatchCriteria") or "open",
            "CreateDate": now,
            "ReservationType": "default",
        }
        if end_date:
            r["EndDate"] = end_date
        for key in ("OutpostArn", "PlacementGroupArn"):
            if self._get_param(key):
                r[key] = self._get_param(key)
        reservations(self.ec2_backend)[rid] = r
        self.ec2_backend.create_tags([rid], _ec2_tag_specification(self, "capacity-reservation"))
        return ActionResult({"CapacityReservation": dict(r, Tags=_ec2_tags_of(self.ec2_backend, rid))})

    def find(self, rid):
        r = reservations(self.ec2_backend).get(rid)
        if r is None:
            raise _ec2_not_found(
                "InvalidCapacityReservationId.NotFound", f"The capacity reservation ID '{rid}' does not exist"
            )
        return r

    def describe_capacity_reservations(self):
        self.error_on_dryrun()
        ids = self._get_param("CapacityReservationIds", [])
        filters = self._filters_from_querystring()
        out = []
        for rid in ids:
            find(self, rid)
        for rid, r in reservations(self.ec2_backend).items():
            if ids and rid not in ids:
                continue
            if "state" in filters and r["State"] not in filters["state"]:
                continue
            out.append(dict(r, Tags=_ec2_tags_of(self.ec2_backend, rid)))
        return ActionResult({"CapacityReservations": out})

    def modify_capacity_reservation(self):
        self.error_on_dryrun()
        r = find(self, self._get_param("CapacityReservationId"))
        if self._get_param("InstanceCount") is not None:
            r["TotalInstanceCount"] = r["AvailableInstanceCount"] = int(self._get_param("InstanceCount"))
        if self._get_param("EndDateType"):
            r["EndDateType"] = self._get_param("EndDateType")
            if r["EndDateType"] == "unlimited":
                r.pop("EndDate", None)
        if self._get_param("EndDate"):
            r["EndDate"] = self._get_param("EndDate")
        if self._get_param("InstanceMatchCriteria"):
            r["InstanceMatchCriteria"] = self._get_param("InstanceMatchCriteria")
        return ActionResult({"Return": True})

    def cancel_capacity_reservation(self):
        self.error_on_dryrun()
        r = find(self, self._get_param("CapacityReservationId"))
        r["State"] = "cancelled"
        return ActionResult({"Return": True})

    EC2Response.create_capacity_reservation = create_capacity_reservation
    EC2Response.describe_capacity_reservations = describe_capacity_reservations
    EC2Response.modify_capacity_reservation = modify_capacity_reservation
    EC2Response.cancel_capacity_reservation = cancel_capacity_reservation


@patch(
    "kms:CreateKey (Origin EXTERNAL) / GetParametersForImport / ImportKeyMaterial / "
    "DeleteImportedKeyMaterial",
    moto_does="creates an EXTERNAL key already Enabled (with key material of its own) and answers "
    "HTTP 500 to GetParametersForImport and ImportKeyMaterial: aws_kms_external_key cannot be "
    "applied with key material; DescribeKey has no ExpirationModel or ValidTo",
    aws_does="an EXTERNAL key is PendingImport (disabled) until key material is imported: "
    "GetParametersForImport answers an RSA wrapping public key and an import token, "
    "ImportKeyMaterial enables the key with its ExpirationModel and ValidTo (both in "
    "DescribeKey), DeleteImportedKeyMaterial makes it PendingImport again",
)
def _kms_external_keys():
    import base64
    import json
    import os
    import time

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from moto.kms.models import Key, KmsBackend
    from moto.kms.responses import KmsResponse

    original_create = KmsBackend.create_key

    def create_key(self, *args, **kwargs):
        key = original_create(self, *args, **kwargs)
        if key.origin == "EXTERNAL":
            key.key_state = "PendingImport"
            key.enabled = False
        return key

    KmsBackend.create_key = create_key

    original_to_dict = Key.to_dict

    def to_dict(self):
        out = original_to_dict(self)
        if self.origin == "EXTERNAL" and getattr(self, "_plumb_expiration_model", None):
            out["KeyMetadata"]["ExpirationModel"] = self._plumb_expiration_model
            if getattr(self, "_plumb_valid_to", None) is not None:
                out["KeyMetadata"]["ValidTo"] = self._plumb_valid_to
        return out

    Key.to_dict = to_dict

    def key_of(response):
        key_id = response._get_param("KeyId")
        response._validate_key_id(key_id)
        return response.kms_backend.keys[response.kms_backend.get_key_id(key_id)]

    def get_parameters_for_import(self):
        key = key_of(self)
        spec = self._get_param("WrappingKeySpec") or "RSA_2048"
        private = rsa.generate_private_key(public_exponent=65537, key_size=int(spec.split("_")[1]))
        public = private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        token = os.urandom(32)
        key._plumb_import_token = token
        return json.dumps(
            {
                "KeyId": key.arn,
                "ImportToken": base64.b64encode(token).decode(),
                "PublicKey": base64.b64encode(public).decode(),
                "ParametersValidTo": time.time() + 24 * 3600,
            }
        )

    def import_key_material(self):
        key = key_of(self)
        key.key_state = "Enabled"
        key.enabled = True
        key._plumb_expiration_model = self._get_param("ExpirationModel") or "KEY_MATERIAL_EXPIRES"
        valid_to = self._get_param("ValidTo")
        key._plumb_valid_to = valid_to if key._plumb_expiration_model == "KEY_MATERIAL_EXPIRES" else None
        return json.dumps({})

    def delete_imported_key_material(self):
        key = key_of(self)
        key.key_state = "PendingImport"
        key.enabled = False
        key._plumb_expiration_model = None
        key._plumb_valid_to = None
        return json.dumps({})

    KmsResponse.get_parameters_for_import = get_parameters_for_import
    KmsResponse.import_key_material = import_key_material
    KmsResponse.delete_imported_key_material = delete_imported_key_material


@patch(
    "kms:ReplicateKey",
    moto_does="copies the primary key object: the replica shares the primary's "
    "MultiRegionConfiguration (MultiRegionKeyType PRIMARY, so a replica reads as another primary "
    "key), its grants and aliases, and ignores the request's Description, Policy and Tags (the "
    "provider then waits for tags that never come)",
    aws_does="creates a replica with MultiRegionKeyType REPLICA naming its primary, the "
    "Description, Policy and Tags of the request (the default key policy when none is given), no "
    "grants or aliases of its own yet; a replica of an EXTERNAL key is PendingImport until key "
    "material is imported into it",
)
def _kms_replicate_key():
    import copy
    import json

    from moto.kms.models import kms_backends
    from moto.kms.responses import KmsResponse

    def replicate_key(self):
        key_id = self._get_param("KeyId")
        self._validate_key_id(key_id)
        region = self._get_param("ReplicaRegion")
        primary = self.kms_backend.keys[self.kms_backend.get_key_id(key_id)]
        target = kms_backends[self.current_account][region]
        replica = copy.copy(primary)
        replica.region = region
        replica.arn = primary.arn.replace(f":{primary.region}:", f":{region}:", 1)
        replica.description = self._get_param("Description") or ""
        replica.policy = self._get_param("Policy") or primary.generate_default_policy()
        replica.grants = {}
        replica.aliases = {}
        replica.rotations = []
        replica.key_state = "Enabled"
        replica.enabled = True
        if primary.origin == "EXTERNAL":
            replica.key_state = "PendingImport"
            replica.enabled = False
            replica._plumb_expiration_model = None
            replica._plumb_valid_to = None
        config = primary.multi_region_configuration
        replicas = config["ReplicaKeys"]  # one list, shared by the primary and its replicas
        replicas[:] = [r for r in replicas if r["Region"] != region] + [{"Arn": replica.arn, "Region": region}]
        replica.multi_region_configuration = {
            "MultiRegionKeyType": "REPLICA",
            "PrimaryKey": dict(config["PrimaryKey"]),
            "ReplicaKeys": replicas,
        }
        target.keys[replica.id] = replica
        tags = self._get_param("Tags")
        if tags:
            target.tag_resource(replica.id, tags)
        return json.dumps(
            {"ReplicaKeyMetadata": replica.to_dict()["KeyMetadata"], "ReplicaPolicy": replica.policy}
        )

    KmsResponse.replicate_key = replicate_key
# -- ElastiCache and SQS (the data stack) -----------------------------------------------------

_REDIS_DEFAULT_VERSION = "7.1.0"
_MEMCACHED_DEFAULT_VERSION = "1.6.22"


def _elasticache_family(engine, version):
    """`default.<family>`: redis7, memcached1.6 (what ElastiCache names its own groups)."""
    parts = (version or "").split(".")
    if engine == "memcached":
        return "memcached" + ".".join(parts[:2])
    return "redis" + (parts[0] if parts[0] and int(parts[0]) >= 6 else ".".join(parts[:2]))


@patch(
    "elasticache:CreateReplicationGroup (member clusters)",
    moto_does="makes one member whatever NumCacheClusters says (with cluster mode disabled it "
    "counts ReplicasPerNodeGroup only) and creates no cache cluster for it: DescribeCacheClusters "
    "answers CacheClusterNotFound for <group>-001, so Terraform cannot read the group back; "
    "TransitEncryptionMode stays empty with transit encryption on; no ReaderEndpoint",
    aws_does="NumCacheClusters members, each a cache cluster DescribeCacheClusters lists with the "
    "group's ReplicationGroupId, node type, engine and version, subnet and security groups, "
    "windows, encryption settings and AuthTokenEnabled; TransitEncryptionMode is required when "
    "transit encryption is on and no mode is given; a reader endpoint",
)
def _elasticache_replication_group_members():
    from moto.elasticache.models import ElastiCacheBackend

    original = ElastiCacheBackend.create_replication_group

    def create_replication_group(self, **kw):
        wanted = kw.get("num_cache_clusters")
        if (kw.get("cluster_mode") or "disabled") == "disabled" and wanted and not kw.get("replicas_per_node_group"):
            kw["replicas_per_node_group"] = wanted - 1
        group = original(self, **kw)
        if group.transit_encryption_enabled and not group.transit_encryption_mode:
            group.transit_encryption_mode = "required"
        engine = kw.get("engine") or "redis"
        version = kw.get("engine_version") or _REDIS_DEFAULT_VERSION
        group.engine_version = version
        for node_group in group.node_groups:
            if node_group.get("reader_endpoint_address") and "reader_endpoint" not in node_group:
                node_group["reader_endpoint"] = {"address": node_group["reader_endpoint_address"], "port": group.port}
            for member in node_group["node_group_members"]:
                cluster = self.create_cache_cluster(
                    cache_cluster_id=member["cache_cluster_id"],
                    replication_group_id=group.replication_group_id,
                    az_mode="single-az",
                    preferred_availability_zone=member.get("preferred_availability_zone"),
                    num_cache_nodes=1,
                    cache_node_type=group.cache_node_type,
                    engine=engine,
                    engine_version=version,
                    cache_parameter_group_name=kw.get("cache_parameter_group_name"),
                    cache_subnet_group_name=kw.get("cache_subnet_group_name"),
                    transit_encryption_enabled=group.transit_encryption_enabled,
                    network_type=group.network_type,
                    ip_discovery=group.ip_discovery,
                    snapshot_name=None,
                    preferred_maintenance_window=kw.get("preferred_maintenance_window"),
                    port=group.port,
                    notification_topic_arn=kw.get("notification_topic_arn"),
                    auto_minor_version_upgrade=kw.get("auto_minor_version_upgrade"),
                    snapshot_retention_limit=group.snapshot_retention_limit,
                    snapshot_window=group.snapshot_window,
                    auth_token="set" if group.auth_token_enabled else None,
                    outpost_mode=None,
                    preferred_outpost_arn=None,
                    preferred_availability_zones=None,
                    cache_security_group_names=kw.get("cache_security_group_names"),
                    security_group_ids=kw.get("security_group_ids"),
                    tags=None,
                    snapshot_arns=None,
                    preferred_outpost_arns=None,
                    log_delivery_configurations=[],
                    cache_node_ids_to_remove=[],
                    cache_node_ids_to_reboot=[],
                )
                cluster.auth_token = None
                cluster.replication_group_id = group.replication_group_id
                cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
                cluster.transit_encryption_mode = group.transit_encryption_mode
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group


@patch(
    "elasticache:DescribeCacheClusters (security groups, nodes, zone, parameter group)",
    moto_does="answers no SecurityGroups (Terraform reads security_group_ids as empty and plans "
    "to add them again), no CacheNodes even with ShowCacheNodeInfo, the requested zone only (a "
    "cross-AZ Memcached cluster reads single-az), no CacheParameterGroup, no EngineVersion "
    "when none was requested, no AutoMinorVersionUpgrade",
    aws_does="SecurityGroups [{SecurityGroupId, Status: active}]; with ShowCacheNodeInfo each "
    "node's id, status, endpoint and zone; PreferredAvailabilityZone Multiple for a cross-AZ "
    "cluster; CacheParameterGroup default.<family> in-sync unless one was named; the engine's "
    "default version; AutoMinorVersionUpgrade true by default",
)
def _elasticache_cache_cluster_reads():
    from moto.elasticache.models import CacheCluster
    from moto.elasticache.responses import ElastiCacheResponse

    original_init = CacheCluster.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.auto_minor_version_upgrade is None:
            self.auto_minor_version_upgrade = True
        if not self.engine_version:
            self.engine_version = (
                _MEMCACHED_DEFAULT_VERSION if self.engine == "memcached" else _REDIS_DEFAULT_VERSION
            )
        if self.az_mode == "cross-az" and not self.preferred_availability_zone:
            self.preferred_availability_zone = "Multiple"
        elif not self.preferred_availability_zone:
            self.preferred_availability_zone = (self.preferred_availability_zones or ["us-east-1a"])[0]
        self._show_nodes = False
        if self.engine == "memcached":
            self.configuration_endpoint = {
                "Address": f"{self.cache_cluster_id}.cfg.use1.cache.amazonaws.com",
                "Port": self.port,
            }

    def security_groups(self):
        return [{"SecurityGroupId": g, "Status": "active"} for g in self.security_group_ids]

    def cache_parameter_group(self):
        name = self.cache_parameter_group_name or "default." + _elasticache_family(self.engine, self.engine_version)
        return {"CacheParameterGroupName": name, "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []}

    def cache_nodes(self):
        if not getattr(self, "_show_nodes", False):
            return None
        zones = self.preferred_availability_zones or ["us-east-1a", "us-east-1b", "us-east-1c"]
        if self.preferred_availability_zone and self.preferred_availability_zone != "Multiple":
            zones = [self.preferred_availability_zone]
        return [
            {
                "CacheNodeId": f"{i + 1:04d}",
                "CacheNodeStatus": "available",
                "CacheNodeCreateTime": self.cache_cluster_create_time,
                "Endpoint": {
                    "Address": f"{self.cache_cluster_id}.{i + 1:04d}.use1.cache.amazonaws.com",
                    "Port": self.port,
                },
                "ParameterGroupStatus": "in-sync",
                "CustomerAvailabilityZone": zones[i % len(zones)],
            }
            for i in range(self.num_cache_nodes or 1)
        ]

    CacheCluster.__init__ = __init__
    CacheCluster.security_groups = property(security_groups)
    CacheCluster.cache_parameter_group = property(cache_parameter_group)
    CacheCluster.cache_nodes = property(cache_nodes)

    original_describe = ElastiCacheResponse.describe_cache_clusters

    def describe_cache_clusters(self):
        show = self._get_bool_param("ShowCacheNodeInfo") or False
        for cluster in self.elasticache_backend.cache_clusters.values():
            cluster._show_nodes = show
        return original_describe(self)

    ElastiCacheResponse.describe_cache_clusters = describe_cache_clusters


@patch(
    "elasticache:ModifyReplicationGroup / ModifyCacheCluster",
    moto_does="not implemented (HTTP 500)",
    aws_does="change the settings named in the request (transit encryption and its mode, AUTH "
    "token, snapshot retention and window, maintenance window, description, failover, Multi-AZ, "
    "node type, security groups), on the group and its member clusters, and answer the group or "
    "cluster",
)
def _elasticache_modify():
    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import CacheClusterNotFound, ReplicationGroupNotFound
    from moto.elasticache.responses import ElastiCacheResponse

    def members(backend, group):
        return [backend.cache_clusters[c] for c in group.member_clusters if c in backend.cache_clusters]

    def modify_replication_group(self):
        backend = self.elasticache_backend
        group_id = self._get_param("ReplicationGroupId")
        group = backend.replication_groups.get(group_id)
        if group is None:
            raise ReplicationGroupNotFound(group_id)
        targets = [group] + members(backend, group)
        description = self._get_param("ReplicationGroupDescription")
        if description is not None:
            group.description = description
        failover = self._get_bool_param("AutomaticFailoverEnabled")
        if failover is not None:
            group.automatic_failover = "enabled" if failover else "disabled"
        multi_az = self._get_bool_param("MultiAZEnabled")
        if multi_az is not None:
            group.multi_az = "enabled" if multi_az else "disabled"
        for param, attr, read in [
            ("TransitEncryptionEnabled", "transit_encryption_enabled", self._get_bool_param),
            ("TransitEncryptionMode", "transit_encryption_mode", self._get_param),
            ("SnapshotRetentionLimit", "snapshot_retention_limit", self._get_int_param),
            ("SnapshotWindow", "snapshot_window", self._get_param),
            ("PreferredMaintenanceWindow", "preferred_maintenance_window", self._get_param),
            ("CacheNodeType", "cache_node_type", self._get_param),
        ]:
            value = read(param)
            if value is not None:
                for t in targets:
                    setattr(t, attr, value)
        groups = self._get_param("SecurityGroupIds")
        if groups:
            for t in targets:
                t.security_group_ids = groups
        strategy = self._get_param("AuthTokenUpdateStrategy")
        if self._get_param("AuthToken") is not None or strategy == "DELETE":
            enabled = strategy != "DELETE"
            for t in targets:
                t.auth_token_enabled = enabled
        return ActionResult({"ReplicationGroup": group})

    def modify_cache_cluster(self):
        backend = self.elasticache_backend
        cluster_id = self._get_param("CacheClusterId")
        cluster = backend.cache_clusters.get(cluster_id)
        if cluster is None:
            raise CacheClusterNotFound(cluster_id)
        for param, attr, read in [
            ("NumCacheNodes", "num_cache_nodes", self._get_int_param),
            ("PreferredMaintenanceWindow", "preferred_maintenance_window", self._get_param),
            ("SnapshotRetentionLimit", "snapshot_retention_limit", self._get_int_param),
            ("SnapshotWindow", "snapshot_window", self._get_param),
            ("CacheNodeType", "cache_node_type", self._get_param),
            ("EngineVersion", "engine_version", self._get_param),
        ]:
            value = read(param)
            if value is not None:
                setattr(cluster, attr, value)
        groups = self._get_param("SecurityGroupIds")
        if groups:
            cluster.security_group_ids = groups
        return ActionResult({"CacheCluster": cluster})

    ElastiCacheResponse.modify_replication_group = modify_replication_group
    ElastiCacheResponse.modify_cache_cluster = modify_cache_cluster


@patch(
    "sqs:GetQueueAttributes (RedrivePolicy, SqsManagedSseEnabled)",
    moto_does="answers RedrivePolicy as JSON with spaces after separators, which Terraform "
    "plans to rewrite right after apply (a whitespace-only change of redrive_policy), and "
    "SqsManagedSseEnabled true on a queue encrypted with a KMS key",
    aws_does="answers RedrivePolicy as compact JSON "
    '({"deadLetterTargetArn":"arn:...","maxReceiveCount":5}); SqsManagedSseEnabled is false '
    "when the queue uses a KMS key (the two kinds of SSE exclude each other)",
)
def _sqs_queue_attributes():
    import json

    from moto.sqs.models import Queue

    original = Queue.attributes

    def attributes(self):
        result = original.fget(self)
        if self.redrive_policy:
            result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
        if self.kms_master_key_id and "SqsManagedSseEnabled" in result:
            result["SqsManagedSseEnabled"] = "false"
        return result

    Queue.attributes = property(attributes)



@patch(
    "ecr:PutImageScanningConfiguration (scanOnPush omitted)",
    moto_does="ignores an imageScanningConfiguration without scanOnPush; the AWS SDKs for Rust and "
    "Go leave a false boolean out of the request, so scan on push can never be switched off",
    aws_does="an absent scanOnPush is false: the request switches scan on push off",
)
def _ecr_scan_on_push_off():
    from moto.ecr.models import Repository

    def update(self, image_scanning_configuration):
        if image_scanning_configuration is not None:
            self.image_scanning_configuration = {
                "scanOnPush": bool(image_scanning_configuration.get("scanOnPush", False))
            }

    Repository._update_image_scanning_configuration = update



@patch(
    "sqs:SetQueueAttributes (Policy)",
    moto_does="clears the queue's Policy whenever a request does not name it: changing the "
    "visibility timeout deletes the queue policy",
    aws_does="changes only the attributes the request names; the policy stays",
)
def _sqs_set_attributes_keeps_policy():
    from moto.sqs.models import Queue

    original = Queue._set_attributes

    def _set_attributes(self, attributes, now=None):
        kept = getattr(self, "policy", None)
        original(self, attributes, now)
        if "Policy" not in attributes:
            self.policy = kept

    Queue._set_attributes = _set_attributes


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
