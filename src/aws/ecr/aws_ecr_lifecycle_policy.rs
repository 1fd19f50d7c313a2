//! `aws_ecr_lifecycle_policy`: GetLifecyclePolicy per repository of the shared listing, under
//! the ECR bound (`LifecyclePolicyNotFoundException`: the repository has none).
//!
//! Identity: the repository name (tfstate `id` = `repository`). Filled: `repository`,
//! `registry_id`, `policy` (compared as JSON). A part of its repository: one set by hand on a
//! managed repository is never an unmanaged resource of its own.

use aws_sdk_ecr::types::Repository;
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{GONE, repositories};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_ecr_lifecycle_policy"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["repository"], parent_attr: Some("repository"), ..Identity::NONE },
    parent: Some("aws_ecr_repository"),
    events: &[
        Event::create("ecr", "PutLifecyclePolicy", &["repositoryName"])
            .writing(&[W::Param("policy", "lifecyclePolicyText")]),
        Event::delete("ecr", "DeleteLifecyclePolicy", &["repositoryName"]),
        Event::delete("ecr", "DeleteRepository", &["repositoryName"]),
    ],
    ..ResourceType::base("aws_ecr_lifecycle_policy", "ecr")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let listed = repositories(ctx, TYPES).await?;
    let found: Vec<Option<Resource>> = futures::stream::iter(listed)
        .map(|repo| read_policy(ctx, repo))
        .buffer_unordered(ctx.limit("ecr"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

async fn read_policy(ctx: &Ctx, repo: Repository) -> Result<Option<Resource>, ReadError> {
    let Some(name) = repo.repository_name() else { return Ok(None) };
    let ecr = ctx.client::<aws_sdk_ecr::Client>();
    let mut call = ecr.get_lifecycle_policy().repository_name(name);
    if let Some(registry) = repo.registry_id() {
        call = call.registry_id(registry);
    }
    let answer = {
        let _p = ctx.permit("ecr").await;
        call.send().await
    };
    match answer {
        Ok(out) => Ok(out
            .lifecycle_policy_text()
            .map(|text| map(name, out.registry_id().or(repo.registry_id()), text, &ctx.region, &ctx.account))),
        Err(e) if matches!(service_code(&e), Some("LifecyclePolicyNotFoundException") | Some(GONE)) => Ok(None),
        Err(e) => Err(read_error("ecr", &ctx.region, TYPES, e)),
    }
}

/// Pure mapping from a repository's name, registry and lifecycle policy text.
pub fn map(repository: &str, registry: Option<&str>, policy: &str, region: &str, account: &str) -> Resource {
    Resource::live("aws_ecr_lifecycle_policy", repository, region, account, None)
        .with("id", repository)
        .with("repository", repository)
        .with("registry_id", Value::opt_str(registry))
        .with("policy", policy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_a_lifecycle_policy_and_its_events() {
        let text = r#"{"rules":[{"rulePriority":1,"action":{"type":"expire"}}]}"#;
        let r = map("clinic/app", Some("123456789012"), text, "us-east-1", "1");
        assert_eq!((r.id.as_str(), r.attr_str("repository")), ("clinic/app", Some("clinic/app")));
        assert_eq!(r.attr_str("policy"), Some(text));
        let e = crate::aws::event::of("aws_ecr_lifecycle_policy", "ecr", "PutLifecyclePolicy");
        let req = json!({"repositoryName": "clinic/app", "lifecyclePolicyText": text});
        assert_eq!(e.identifiers(&req, &json!(null)), ["clinic/app"]);
        assert_eq!(e.writes(&req, &json!(null)).len(), 1);
    }
}
