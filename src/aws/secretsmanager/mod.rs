//! Secrets Manager: secrets, their rotation and their resource policies. The secret value is
//! never read (no GetSecretValue, no secret-version type).
//!
//! ListSecrets (paginated) is read once per region and shared by the three types: it carries
//! each secret's name, description, key, tags and rotation. The resource policy is one
//! GetResourcePolicy per secret, also shared (the secret's `policy` and
//! `aws_secretsmanager_secret_policy`).

mod aws_secretsmanager_secret;
mod aws_secretsmanager_secret_policy;
mod aws_secretsmanager_secret_rotation;

use aws_sdk_secretsmanager::types::{SecretListEntry, Tag};
use futures::{StreamExt, TryStreamExt};

use super::errors::{read_error, service_code};
use super::{Ctx, Service};
use crate::model::{ReadError, Value};

crate::sdk_client!(aws_sdk_secretsmanager);

pub static SERVICE: Service = Service {
    name: "secretsmanager",
    concurrency: 4,
    types: &[
        &aws_secretsmanager_secret::TYPE,
        &aws_secretsmanager_secret_rotation::TYPE,
        &aws_secretsmanager_secret_policy::TYPE,
    ],
};

const SHARED_BY: &[&str] =
    &["aws_secretsmanager_secret", "aws_secretsmanager_secret_rotation", "aws_secretsmanager_secret_policy"];

/// Every secret of the region that exists as far as Terraform is concerned: ListSecrets
/// leaves out secrets scheduled for deletion (the provider drops such a secret from state, so
/// a managed one is missing, as Terraform shows it), and entries with a deletion date are
/// skipped as well.
pub(crate) async fn secrets(ctx: &Ctx, types: &[&str]) -> Result<Vec<SecretListEntry>, ReadError> {
    let cached = ctx
        .once("secretsmanager:ListSecrets", || async {
            let secretsmanager = ctx.client::<aws_sdk_secretsmanager::Client>();
            let mut out = Vec::new();
            let mut pages = secretsmanager.list_secrets().into_paginator().send();
            while let Some(page) = {
                let _p = ctx.permit("secretsmanager").await;
                pages.next().await
            } {
                let page = page.map_err(|e| read_error("secretsmanager", &ctx.region, SHARED_BY, e))?;
                out.extend(page.secret_list().iter().filter(|s| s.deleted_date().is_none()).cloned());
            }
            Ok(out)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// `(secret ARN, resource policy)` for every listed secret (`None`: no policy), one
/// GetResourcePolicy per secret under the service bound; a secret deleted since the listing
/// is left out.
pub(crate) async fn policies(ctx: &Ctx, types: &[&str]) -> Result<Vec<(String, Option<String>)>, ReadError> {
    let cached = ctx
        .once("secretsmanager:GetResourcePolicy", || async {
            let listed = secrets(ctx, SHARED_BY).await?;
            let arns: Vec<String> = listed.iter().filter_map(|s| s.arn().map(str::to_string)).collect();
            let found: Vec<Option<(String, Option<String>)>> = futures::stream::iter(arns)
                .map(|arn| async move {
                    let secretsmanager = ctx.client::<aws_sdk_secretsmanager::Client>();
                    let answer = {
                        let _p = ctx.permit("secretsmanager").await;
                        secretsmanager.get_resource_policy().secret_id(&arn).send().await
                    };
                    match answer {
                        Ok(out) => {
                            let policy = out.resource_policy().filter(|p| !p.trim().is_empty()).map(str::to_string);
                            Ok(Some((arn, policy)))
                        }
                        Err(e) if service_code(&e) == Some("ResourceNotFoundException") => Ok(None),
                        Err(e) => Err(read_error("secretsmanager", &ctx.region, SHARED_BY, e)),
                    }
                })
                .buffer_unordered(ctx.limit("secretsmanager"))
                .try_collect()
                .await?;
            let mut found: Vec<(String, Option<String>)> = found.into_iter().flatten().collect();
            found.sort();
            Ok(found)
        })
        .await;
    crate::aws::client::for_caller(&cached, types)
}

/// Secrets Manager's tag list as the provider's `tags` map (`aws:` keys left out).
pub(crate) fn tags(tags: &[Tag]) -> Value {
    Value::string_map(
        tags.iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
            .filter(|(k, _)| !k.starts_with("aws:")),
    )
}
