//! `aws_ec2_tag`: one tag on an EC2 resource some other tool owns (an interface the launch
//! made, a VPC another team manages), id `<resource_id>,<key>`.
//!
//! Read for the tags the scanned states name only: DescribeTags filtered on those resources
//! (up to 200 ids a request, paginated). Every tag of every EC2 resource is no resource of
//! its own (it belongs to its resource's `tags`), so nothing else is emitted, and a tag no
//! state names is never unmanaged. A named tag that is gone is missing; another value is
//! drift on `value`.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::{Filter, TagDescription};
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value as Json;

use crate::aws::event::{Event, W, Written};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_ec2_tag"];

/// Values one DescribeTags filter takes.
const IDS_PER_REQUEST: usize = 200;

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["resource_id"], ..Identity::NONE },
    events: &[
        Event::modify("ec2", "CreateTags", &["{resourcesSet.items[].resourceId},{tagSet.items[].key}"])
            .writing(&[W::Custom(one_tag_value)]),
        Event::delete("ec2", "DeleteTags", &["{resourcesSet.items[].resourceId},{tagSet.items[].key}"]),
    ],
    ..ResourceType::base("aws_ec2_tag", "ec2")
};

/// A request that sets one tag sets this resource's `value`; with several tags, which one
/// is this resource's is in its id (the request still wrote it).
fn one_tag_value(req: &Json, _resp: &Json, out: &mut Vec<Written>) {
    let mut tags = Vec::new();
    crate::aws::event::pluck(req, "tagSet.items[]", &mut tags);
    match tags.as_slice() {
        [one] => out.push(Written::Set {
            path: "value".into(),
            value: one.get("value").map(crate::aws::event::value).unwrap_or(Value::str("")),
        }),
        [] => {}
        _ => out.push(Written::Touch { path: "value".into() }),
    }
}

/// `(resource id, key)` of a state id `resource,key` (keys may hold commas; ids do not).
pub fn parse_id(id: &str) -> Option<(&str, &str)> {
    id.split_once(',').filter(|(r, k)| !r.is_empty() && !k.is_empty())
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let wanted: BTreeSet<(String, String)> = ctx
        .state_ids("aws_ec2_tag")
        .into_iter()
        .filter_map(parse_id)
        .map(|(r, k)| (r.to_string(), k.to_string()))
        .collect();
    let resources: Vec<String> = wanted.iter().map(|(r, _)| r.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let ec2 = &ec2;
    let pages: Vec<Vec<TagDescription>> =
        futures::stream::iter(resources.chunks(IDS_PER_REQUEST).map(<[String]>::to_vec))
            .map(|ids| async move {
                let mut out = Vec::new();
                let request = ec2
                    .describe_tags()
                    .filters(Filter::builder().name("resource-id").set_values(Some(ids)).build())
                    .max_results(1000);
                super::pages!(ctx, TYPES, request, |page| out.extend(page.tags().iter().cloned()));
                Ok::<_, ReadError>(out)
            })
            .buffer_unordered(ctx.limit("ec2"))
            .try_collect()
            .await?;
    let found: Vec<TagDescription> = pages.into_iter().flatten().collect();
    Ok(map(&found, &wanted, &ctx.region, &ctx.account))
}

/// The described tags the states name, as resources.
pub fn map(tags: &[TagDescription], wanted: &BTreeSet<(String, String)>, region: &str, account: &str) -> Vec<Resource> {
    let by_key: BTreeMap<(&str, &str), &str> =
        tags.iter().filter_map(|t| Some(((t.resource_id()?, t.key()?), t.value().unwrap_or_default()))).collect();
    wanted
        .iter()
        .filter_map(|(resource, key)| {
            let value = by_key.get(&(resource.as_str(), key.as_str()))?;
            let id = format!("{resource},{key}");
            Some(
                Resource::live("aws_ec2_tag", &id, region, account, None)
                    .with("id", id.as_str())
                    .with("resource_id", resource.as_str())
                    .with("key", key.as_str())
                    .with("value", *value),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tag(resource: &str, key: &str, value: &str) -> TagDescription {
        TagDescription::builder().resource_id(resource).key(key).value(value).build()
    }

    #[test]
    fn only_the_tags_a_state_names() {
        let wanted: BTreeSet<(String, String)> =
            [("eni-1".to_string(), "Team".to_string()), ("eni-1".to_string(), "Gone".to_string())].into();
        let found = [tag("eni-1", "Team", "data"), tag("eni-1", "Name", "primary"), tag("vpc-1", "Team", "x")];
        let rs = map(&found, &wanted, "us-east-1", "1");
        assert_eq!(rs.len(), 1, "a tag no state names is no resource; a named tag that is gone is missing");
        assert_eq!(rs[0].id, "eni-1,Team");
        assert_eq!(rs[0].attr_str("value"), Some("data"));
        assert_eq!(parse_id("eni-1,Cost,Center"), Some(("eni-1", "Cost,Center")));
        assert_eq!(parse_id("eni-1"), None);
    }

    #[test]
    fn tag_events() {
        let e = crate::aws::event::of("aws_ec2_tag", "ec2", "CreateTags");
        let req = json!({"resourcesSet": {"items": [{"resourceId": "eni-1"}]},
                         "tagSet": {"items": [{"key": "Team", "value": "ops"}]}});
        assert_eq!(e.identifiers(&req, &json!({"_return": true})), vec!["eni-1,Team"]);
        assert_eq!(e.writes(&req, &json!({})), vec![Written::Set { path: "value".into(), value: "ops".into() }]);
        let d = crate::aws::event::of("aws_ec2_tag", "ec2", "DeleteTags");
        let req = json!({"resourcesSet": {"items": [{"resourceId": "eni-1"}]}, "tagSet": {"items": [{"key": "Team"}]}});
        assert_eq!(d.identifiers(&req, &json!({})), vec!["eni-1,Team"]);
    }
}
