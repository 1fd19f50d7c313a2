//! `aws_iam_openid_connect_provider`: ListOpenIDConnectProviders, then
//! GetOpenIDConnectProvider per provider (IAM has no bulk read of them; accounts have a
//! handful, one per EKS cluster with IRSA). Id: the ARN, as the provider's.
//!
//! `url` as IAM returns it (without `https://`), as the provider's read stores it. A provider
//! deleted between the two reads is skipped.

use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as Json;

use super::{TAGS, UNTAGS, tags};
use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W, Written, first};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};
use aws_sdk_iam::operation::get_open_id_connect_provider::GetOpenIdConnectProviderOutput;

const TYPES: &[&str] = &["aws_iam_openid_connect_provider"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: true }),
    identity: Identity { global_names: true, ..Identity::NONE },
    events: &[
        Event::create("iam", "CreateOpenIDConnectProvider", &["@openIDConnectProviderArn"]).writing(&[
            W::Param("url", "url"),
            W::List("client_id_list", "clientIDList[]"),
            W::List("thumbprint_list", "thumbprintList[]"),
            TAGS,
        ]),
        Event::delete("iam", "DeleteOpenIDConnectProvider", &["openIDConnectProviderArn"]),
        Event::modify("iam", "AddClientIDToOpenIDConnectProvider", &["openIDConnectProviderArn"])
            .writing(&[W::Custom(|req, _, out| client_id(req, out, true))]),
        Event::modify("iam", "RemoveClientIDFromOpenIDConnectProvider", &["openIDConnectProviderArn"])
            .writing(&[W::Custom(|req, _, out| client_id(req, out, false))]),
        Event::modify("iam", "UpdateOpenIDConnectProviderThumbprint", &["openIDConnectProviderArn"])
            .writing(&[W::List("thumbprint_list", "thumbprintList[]")]),
        Event::modify("iam", "TagOpenIDConnectProvider", &["openIDConnectProviderArn"]).writing(&[TAGS]),
        Event::modify("iam", "UntagOpenIDConnectProvider", &["openIDConnectProviderArn"]).writing(&[UNTAGS]),
    ],
    ..ResourceType::base("aws_iam_openid_connect_provider", "iam")
};

fn client_id(req: &Json, out: &mut Vec<Written>, add: bool) {
    let Some(id) = first(req, "clientID") else { return };
    let elems = vec![Value::from_json(id)];
    let path = "client_id_list".to_string();
    out.push(if add { Written::Add { path, elems } } else { Written::Remove { path, elems } });
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let iam = ctx.client::<aws_sdk_iam::Client>();
    let listed = {
        let _p = ctx.permit("iam").await;
        iam.list_open_id_connect_providers().send().await
    }
    .map_err(|e| read_error("iam", &ctx.region, TYPES, e))?;
    let arns: Vec<String> =
        listed.open_id_connect_provider_list().iter().filter_map(|p| p.arn().map(str::to_string)).collect();
    let found: Vec<Option<Resource>> = futures::stream::iter(arns)
        .map(|arn| async move {
            let iam = ctx.client::<aws_sdk_iam::Client>();
            let _p = ctx.permit("iam").await;
            match iam.get_open_id_connect_provider().open_id_connect_provider_arn(&arn).send().await {
                Ok(out) => Ok(Some(map(&arn, &out, &ctx.region, &ctx.account))),
                Err(e) if service_code(&e) == Some("NoSuchEntity") => Ok(None),
                Err(e) => Err::<_, ReadError>(read_error("iam", &ctx.region, TYPES, e)),
            }
        })
        .buffer_unordered(ctx.limit("iam"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

/// Pure mapping from GetOpenIDConnectProvider's answer to provider v5 attributes.
pub fn map(arn: &str, p: &GetOpenIdConnectProviderOutput, region: &str, account: &str) -> Resource {
    let mut clients: Vec<&str> = p.client_id_list().iter().map(String::as_str).collect();
    clients.sort_unstable();
    Resource::live("aws_iam_openid_connect_provider", arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("url", Value::opt_str(p.url()))
        .with("client_id_list", Value::string_list(clients))
        .with("thumbprint_list", Value::string_list(p.thumbprint_list().iter().map(String::as_str)))
        .with("tags", tags(p.tags()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::event::of;

    const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";

    #[test]
    fn maps_a_provider() {
        let out = GetOpenIdConnectProviderOutput::builder()
            .url("oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE")
            .client_id_list("sts.amazonaws.com")
            .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
            .build();
        let r = map(ARN, &out, "us-east-1", "123456789012");
        assert_eq!(r.id, ARN);
        assert_eq!(r.attr_str("url"), Some("oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"));
        assert_eq!(r.attr("client_id_list"), &Value::string_list(["sts.amazonaws.com"]));
        assert_eq!(r.attr("thumbprint_list"), &Value::string_list(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]));
        assert_eq!(r.attr("tags"), &Value::Map(Default::default()));
    }

    #[test]
    fn events_name_the_provider_by_arn() {
        let create = of("aws_iam_openid_connect_provider", "iam", "CreateOpenIDConnectProvider");
        let req = json!({"url": "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE",
            "clientIDList": ["sts.amazonaws.com"], "thumbprintList": ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]});
        let resp = json!({"openIDConnectProviderArn": ARN});
        assert_eq!(create.identifiers(&req, &resp), vec![ARN]);
        assert!(create.writes(&req, &resp).contains(&Written::Set {
            path: "client_id_list".into(),
            value: Value::string_list(["sts.amazonaws.com"])
        }));
        let add = of("aws_iam_openid_connect_provider", "iam", "AddClientIDToOpenIDConnectProvider");
        let req = json!({"openIDConnectProviderArn": ARN, "clientID": "other"});
        assert_eq!(add.identifiers(&req, &Json::Null), vec![ARN]);
        assert_eq!(
            add.writes(&req, &Json::Null),
            vec![Written::Add { path: "client_id_list".into(), elems: vec!["other".into()] }]
        );
    }
}
