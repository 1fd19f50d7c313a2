//! ECR: repositories and their lifecycle policies.
//!
//! DescribeRepositories (paginated) is read once per region and shared by both types; tags
//! are one ListTagsForResource per repository, lifecycle policies one GetLifecyclePolicy per
//! repository.

mod aws_ecr_lifecycle_policy;
mod aws_ecr_repository;

use aws_sdk_ecr::types::Repository;

use super::errors::read_error;
use super::{Ctx, Service};
use crate::model::ReadError;

crate::sdk_client!(aws_sdk_ecr);

pub static SERVICE: Service =
    Service { name: "ecr", concurrency: 4, types: &[&aws_ecr_repository::TYPE, &aws_ecr_lifecycle_policy::TYPE] };

/// Error code of a repository deleted since it was listed.
const GONE: &str = "RepositoryNotFoundException";

/// Every repository of the region's registry, read once per context.
pub(crate) async fn repositories(ctx: &Ctx, types: &[&str]) -> Result<Vec<Repository>, ReadError> {
    const SHARED_BY: &[&str] = &["aws_ecr_repository", "aws_ecr_lifecycle_policy"];
    let cached = ctx
        .once("ecr:DescribeRepositories", || async {
            let ecr = ctx.client::<aws_sdk_ecr::Client>();
            let mut out = Vec::new();
            let mut pages = ecr.describe_repositories().into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("ecr").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("ecr", &ctx.region, SHARED_BY, e))?;
                out.extend(page.repositories().iter().cloned());
            }
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}
