//! EKS: clusters and managed node groups.

mod aws_eks_cluster;
mod aws_eks_node_group;

use super::Service;

pub static SERVICE: Service =
    Service { name: "eks", concurrency: 4, types: &[&aws_eks_cluster::TYPE, &aws_eks_node_group::TYPE] };
