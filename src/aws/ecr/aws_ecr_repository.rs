//! `aws_ecr_repository`: the DescribeRepositories listing shared with the lifecycle policies,
//! and ListTagsForResource per repository.
//!
//! Identity: the repository name (tfstate `id` = `name`). Filled: `arn`, `registry_id`,
//! `repository_url`, `image_tag_mutability`, `image_scanning_configuration = [{scan_on_push}]`,
//! `encryption_configuration = [{encryption_type, kms_key}]` (`kms_key` `""` with AES256),
//! `tags`. `force_delete` (a request-side switch of DeleteRepository) is left Unknown.

use aws_sdk_ecr::types::{Repository, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::{GONE, repositories};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_ecr_repository"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("ecr", "repository/", &["name"]),
    events: &[
        Event::create("ecr", "CreateRepository", &["repositoryName"]).writing(&[
            W::Param("image_tag_mutability", "imageTagMutability"),
            W::Param("image_scanning_configuration[0].scan_on_push", "imageScanningConfiguration.scanOnPush"),
            W::Param("encryption_configuration[0].encryption_type", "encryptionConfiguration.encryptionType"),
            W::Param("encryption_configuration[0].kms_key", "encryptionConfiguration.kmsKey"),
            W::Tags { items: "tags[]", key: "key", value: "value" },
        ]),
        Event::modify("ecr", "PutImageTagMutability", &["repositoryName"])
            .writing(&[W::Param("image_tag_mutability", "imageTagMutability")]),
        Event::modify("ecr", "PutImageScanningConfiguration", &["repositoryName"]).writing(&[W::Param(
            "image_scanning_configuration[0].scan_on_push",
            "imageScanningConfiguration.scanOnPush",
        )]),
        Event::delete("ecr", "DeleteRepository", &["repositoryName"]),
        Event::modify("ecr", "TagResource", &["resourceArn"]).writing(&[W::Tags {
            items: "tags[]",
            key: "key",
            value: "value",
        }]),
        Event::modify("ecr", "UntagResource", &["resourceArn"]).writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
    ],
    ..ResourceType::base("aws_ecr_repository", "ecr")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let listed = repositories(ctx, TYPES).await?;
    let found: Vec<Option<Resource>> = futures::stream::iter(listed)
        .map(|repo| async move {
            let Some(arn) = repo.repository_arn() else { return Ok(map(&repo, None, &ctx.region, &ctx.account)) };
            let ecr = ctx.client::<aws_sdk_ecr::Client>();
            let answer = {
                let _p = ctx.permit("ecr").await;
                ecr.list_tags_for_resource().resource_arn(arn).send().await
            };
            match answer {
                Ok(out) => Ok(map(&repo, Some(out.tags()), &ctx.region, &ctx.account)),
                Err(e) if service_code(&e) == Some(GONE) => Ok(None),
                Err(e) => Err::<_, ReadError>(read_error("ecr", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("ecr"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from a described repository and its tags (`None`: not read).
pub fn map(repo: &Repository, tags: Option<&[Tag]>, region: &str, account: &str) -> Option<Resource> {
    let name = repo.repository_name()?;
    let arn = repo.repository_arn().map(str::to_string);
    let scanning: Vec<Value> = repo
        .image_scanning_configuration()
        .map(|s| Value::object([("scan_on_push", s.scan_on_push().into())]))
        .into_iter()
        .collect();
    let encryption: Vec<Value> = repo
        .encryption_configuration()
        .map(|e| {
            Value::object([
                ("encryption_type", e.encryption_type().as_str().into()),
                ("kms_key", e.kms_key().unwrap_or_default().into()),
            ])
        })
        .into_iter()
        .collect();
    let mut r = Resource::live("aws_ecr_repository", name, region, account, arn.clone())
        .with("id", name)
        .with("name", name)
        .with("arn", Value::opt_str(arn))
        .with("registry_id", Value::opt_str(repo.registry_id()))
        .with("repository_url", Value::opt_str(repo.repository_uri()))
        .with("image_tag_mutability", repo.image_tag_mutability().map(|m| m.as_str()).unwrap_or("MUTABLE"))
        .with("image_scanning_configuration", Value::List(scanning))
        .with("encryption_configuration", Value::List(encryption));
    if let Some(tags) = tags {
        r.set(
            "tags",
            Value::string_map(
                tags.iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .filter(|(k, _)| !k.starts_with("aws:")),
            ),
        );
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecr::types::{EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability};
    use serde_json::json;

    #[test]
    fn maps_a_repository() {
        let repo = Repository::builder()
            .repository_name("clinic/app")
            .repository_arn("arn:aws:ecr:us-east-1:123456789012:repository/clinic/app")
            .registry_id("123456789012")
            .repository_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/clinic/app")
            .image_tag_mutability(ImageTagMutability::Immutable)
            .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(true).build())
            .encryption_configuration(
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::Kms)
                    .kms_key("arn:aws:kms:us-east-1:123456789012:key/k-1")
                    .build()
                    .unwrap(),
            )
            .build();
        let tags = [Tag::builder().key("Name").value("app").build().unwrap()];
        let r = map(&repo, Some(&tags), "us-east-1", "123456789012").unwrap();
        assert_eq!(r.id, "clinic/app");
        assert_eq!(r.attr_str("image_tag_mutability"), Some("IMMUTABLE"));
        assert_eq!(r.attr("image_scanning_configuration"), &Value::block([("scan_on_push", true.into())]));
        assert_eq!(
            r.attr("encryption_configuration"),
            &Value::block([
                ("encryption_type", "KMS".into()),
                ("kms_key", "arn:aws:kms:us-east-1:123456789012:key/k-1".into())
            ])
        );
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "app")]));
        assert_eq!(r.attr("force_delete"), &Value::Unknown);
        assert_eq!(
            crate::aws::type_of_arn("arn:aws:ecr:us-east-1:123456789012:repository/clinic/app"),
            Some(("aws_ecr_repository", "clinic/app".to_string()))
        );
    }

    #[test]
    fn scanning_and_mutability_events() {
        use crate::aws::event::{Written, of};
        let e = of("aws_ecr_repository", "ecr", "PutImageScanningConfiguration");
        let req = json!({"repositoryName": "clinic/app", "imageScanningConfiguration": {"scanOnPush": false}});
        assert_eq!(e.identifiers(&req, &json!(null)), ["clinic/app"]);
        assert_eq!(
            e.writes(&req, &json!(null)),
            [Written::Set { path: "image_scanning_configuration[0].scan_on_push".into(), value: false.into() }]
        );
        let m = of("aws_ecr_repository", "ecr", "PutImageTagMutability");
        let req = json!({"repositoryName": "clinic/app", "imageTagMutability": "MUTABLE"});
        assert_eq!(
            m.writes(&req, &json!(null)),
            [Written::Set { path: "image_tag_mutability".into(), value: "MUTABLE".into() }]
        );
    }
}
