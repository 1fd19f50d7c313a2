//! `aws_ec2_managed_prefix_list`: DescribeManagedPrefixLists, paginated, then
//! GetManagedPrefixListEntries (paginated) for each list the account owns, fanned out under
//! the EC2 bound. AWS's own lists (owner `AWS`: the S3 and DynamoDB service lists, ...) are
//! AWS's and their entries are not read.

use aws_sdk_ec2::types::{ManagedPrefixList, PrefixListEntry};
use futures::{FutureExt, StreamExt};

use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{ReadError, Resource, Value};

const TYPES: &[&str] = &["aws_ec2_managed_prefix_list"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity { names: &["name"], ..Identity::arn("ec2", "prefix-list/", &[]) },
    events: &[
        Event::create(
            "ec2",
            "CreateManagedPrefixList",
            &["@CreateManagedPrefixListResponse.prefixList.prefixListId", "@prefixList.prefixListId"],
        )
        .writing(&[W::Param("name", "CreateManagedPrefixListRequest.PrefixListName|prefixListName")]),
        Event::modify(
            "ec2",
            "ModifyManagedPrefixList",
            &["ModifyManagedPrefixListRequest.PrefixListId", "prefixListId"],
        )
        .writing(&[
            W::Touch("entry"),
            W::Param("name", "ModifyManagedPrefixListRequest.PrefixListName|prefixListName"),
        ]),
        Event::delete(
            "ec2",
            "DeleteManagedPrefixList",
            &["DeleteManagedPrefixListRequest.PrefixListId", "prefixListId"],
        ),
        super::CREATE_TAGS,
        super::DELETE_TAGS,
    ],
    ..ResourceType::base("aws_ec2_managed_prefix_list", "ec2")
};

fn is_awss(l: &ManagedPrefixList) -> bool {
    l.owner_id() == Some("AWS")
}

async fn fetch(ctx: &Ctx) -> FetchResult {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut lists = Vec::new();
    super::pages!(ctx, TYPES, ec2.describe_managed_prefix_lists().max_results(100), |page| lists
        .extend(page.prefix_lists().iter().cloned()));
    let reads = lists.into_iter().map(|l| async move {
        let entries =
            if is_awss(&l) { None } else { Some(entries(ctx, l.prefix_list_id().unwrap_or_default()).await?) };
        Ok::<_, ReadError>(map(&l, entries.as_deref(), &ctx.region, &ctx.account))
    });
    futures::stream::iter(reads).buffer_unordered(ctx.limit("ec2")).collect::<Vec<_>>().await.into_iter().collect()
}

async fn entries(ctx: &Ctx, id: &str) -> Result<Vec<PrefixListEntry>, ReadError> {
    let ec2 = ctx.client::<aws_sdk_ec2::Client>();
    let mut out = Vec::new();
    super::pages!(ctx, TYPES, ec2.get_managed_prefix_list_entries().prefix_list_id(id).max_results(100), |page| out
        .extend(page.entries().iter().cloned()));
    Ok(out)
}

/// Pure mapping from the SDK's `ManagedPrefixList` and its entries (`None`: not read) to
/// provider v5 attributes.
pub fn map(l: &ManagedPrefixList, entries: Option<&[PrefixListEntry]>, region: &str, account: &str) -> Resource {
    let id = l.prefix_list_id().unwrap_or_default();
    let arn = l
        .prefix_list_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:ec2:{region}:{}:prefix-list/{id}", l.owner_id().unwrap_or(account)));
    let mut r = Resource::live("aws_ec2_managed_prefix_list", id, region, account, Some(arn.clone()))
        .with("id", id)
        .with("arn", arn)
        .with("name", Value::opt_str(l.prefix_list_name()))
        .with("address_family", Value::opt_str(l.address_family()))
        .with("max_entries", Value::opt_int(l.max_entries()))
        .with("owner_id", Value::opt_str(l.owner_id()))
        .with("version", Value::opt_int(l.version()))
        .with("tags", crate::aws::tags::ec2(l.tags()));
    if let Some(entries) = entries {
        let mut v: Vec<Value> = entries
            .iter()
            .map(|e| {
                Value::object([
                    ("cidr", Value::str(e.cidr().unwrap_or_default())),
                    ("description", Value::str(e.description().unwrap_or_default())),
                ])
            })
            .collect();
        v.sort_by_cached_key(Value::canonical);
        r.set("entry", Value::List(v));
    }
    r.aws_default = is_awss(l);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_and_its_entries() {
        let l = ManagedPrefixList::builder()
            .prefix_list_id("pl-1")
            .prefix_list_name("offices")
            .address_family("IPv4")
            .max_entries(5)
            .owner_id("123456789012")
            .version(1)
            .build();
        let e = [PrefixListEntry::builder().cidr("203.0.113.0/24").description("Branch").build()];
        let r = map(&l, Some(&e), "us-east-1", "123456789012");
        assert_eq!(r.attr_str("arn"), Some("arn:aws:ec2:us-east-1:123456789012:prefix-list/pl-1"));
        assert_eq!(r.attr("max_entries"), &Value::int(5));
        assert_eq!(r.attr("entry").as_list().unwrap()[0].get("description"), Some(&Value::str("Branch")));
        assert!(!r.aws_default);
        let aws = ManagedPrefixList::builder().prefix_list_id("pl-s3").owner_id("AWS").build();
        let r = map(&aws, None, "us-east-1", "1");
        assert!(r.aws_default);
        assert_eq!(r.attr("entry"), &Value::Unknown);
    }
    #[test]
    fn prefix_list_events() {
        use serde_json::json;
        let m = crate::aws::event::of("aws_ec2_managed_prefix_list", "ec2", "ModifyManagedPrefixList");
        let req = json!({"ModifyManagedPrefixListRequest": {"PrefixListId": "pl-1", "CurrentVersion": 1,
            "AddEntry": {"Cidr": "192.0.2.0/24", "tag": 1}}});
        assert_eq!(m.identifiers(&req, &json!({})), vec!["pl-1"]);
        assert!(m.writes(&req, &json!({})).contains(&crate::aws::Written::Touch { path: "entry".into() }));
    }
}
