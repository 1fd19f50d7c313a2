//! `aws_acm_certificate`: ListCertificates (paginated, every key type: by default ACM lists
//! only RSA 1024/2048 certificates), then per certificate DescribeCertificate and
//! ListTagsForCertificate. Id: the ARN.
//!
//! Follows the provider's read: `status`, `type`, `key_algorithm`, `domain_name`,
//! `subject_alternative_names`, `validation_method` (the first domain validation's method for
//! an Amazon-issued certificate, `NONE` otherwise), `domain_validation_options` (the DNS
//! records) and `validation_emails`, `options`, `not_before`/`not_after` (RFC 3339),
//! `renewal_eligibility`, `renewal_summary`. Never read: the private key (ACM never gives it
//! out; `private_key` is Sensitive), the certificate body and chain (GetCertificate; no rule
//! needs them), `early_renewal_duration` and `validation_option` (configuration only):
//! Unknown.
//!
//! CloudTrail: RequestCertificate answers `responseElements.certificateArn`; the other calls
//! name `certificateArn`. ImportCertificate's key is redacted by CloudTrail.

use aws_sdk_acm::primitives::DateTimeFormat;
use aws_sdk_acm::types::{CertificateDetail, CertificateType, Filters, KeyAlgorithm, Tag};
use futures::{FutureExt, StreamExt, TryStreamExt};

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_acm_certificate"];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("acm", "certificate/", &[]),
    events: &[
        Event::create("acm", "RequestCertificate", &["@certificateArn"]).writing(&[
            W::Param("domain_name", "domainName"),
            W::List("subject_alternative_names", "subjectAlternativeNames[]"),
            W::Param("validation_method", "validationMethod"),
            W::Param("key_algorithm", "keyAlgorithm"),
            W::Param("certificate_authority_arn", "certificateAuthorityArn"),
            W::Param(
                "options[0].certificate_transparency_logging_preference",
                "options.certificateTransparencyLoggingPreference",
            ),
            W::Tags { items: "tags[]", key: "key", value: "value" },
        ]),
        Event::create("acm", "ImportCertificate", &["certificateArn", "@certificateArn"])
            .writing(&[W::Touch("certificate_body"), W::Touch("private_key")]),
        Event::delete("acm", "DeleteCertificate", &["certificateArn"]),
        Event::modify("acm", "UpdateCertificateOptions", &["certificateArn"]).writing(&[W::Param(
            "options[0].certificate_transparency_logging_preference",
            "options.certificateTransparencyLoggingPreference",
        )]),
        Event::modify("acm", "AddTagsToCertificate", &["certificateArn"]).writing(&[W::Tags {
            items: "tags[]",
            key: "key",
            value: "value",
        }]),
        Event::modify("acm", "RemoveTagsFromCertificate", &["certificateArn"])
            .writing(&[W::Untags { items: "tags[]", key: "key" }]),
    ],
    ..ResourceType::base("aws_acm_certificate", "acm")
};

/// Every key type ACM issues or imports.
const KEY_TYPES: &[KeyAlgorithm] = &[
    KeyAlgorithm::Rsa1024,
    KeyAlgorithm::Rsa2048,
    KeyAlgorithm::Rsa3072,
    KeyAlgorithm::Rsa4096,
    KeyAlgorithm::EcPrime256v1,
    KeyAlgorithm::EcSecp384r1,
    KeyAlgorithm::EcSecp521r1,
];

async fn fetch(ctx: &Ctx) -> FetchResult {
    let acm = ctx.client::<aws_sdk_acm::Client>();
    let mut arns: Vec<String> = Vec::new();
    let filters = Filters::builder().set_key_types(Some(KEY_TYPES.to_vec())).build();
    let mut pages = acm.list_certificates().includes(filters).max_items(1000).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("acm").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("acm", &ctx.region, TYPES, e))?;
        arns.extend(page.certificate_summary_list().iter().filter_map(|c| c.certificate_arn().map(str::to_string)));
    }
    let acm = &acm;
    let found: Vec<Option<Resource>> = futures::stream::iter(arns)
        .map(|arn| async move {
            let described = async {
                let _p = ctx.permit("acm").await;
                acm.describe_certificate().certificate_arn(&arn).send().await
            };
            let tagged = async {
                let _p = ctx.permit("acm").await;
                acm.list_tags_for_certificate().certificate_arn(&arn).send().await
            };
            let (described, tagged) = futures::join!(described, tagged);
            let detail = match described {
                Ok(out) => out.certificate,
                // Deleted since the listing.
                Err(e) if service_code(&e) == Some("ResourceNotFoundException") => return Ok(None),
                Err(e) => return Err(read_error("acm", &ctx.region, TYPES, e)),
            };
            let tags = match tagged {
                Ok(out) => out.tags.unwrap_or_default(),
                Err(e) if service_code(&e) == Some("ResourceNotFoundException") => return Ok(None),
                Err(e) => return Err(read_error("acm", &ctx.region, TYPES, e)),
            };
            Ok(detail.map(|d| map(&d, &tags, &ctx.region, &ctx.account)))
        })
        .buffer_unordered(ctx.limit("acm"))
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

fn rfc3339(t: Option<&aws_sdk_acm::primitives::DateTime>) -> Value {
    t.and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()).map(Value::String).unwrap_or(Value::Null)
}

/// Pure mapping from the SDK's `CertificateDetail` and its tags to provider v5 attributes.
// `certificate_transparency_logging_preference` is deprecated in the API; the provider stores it.
#[allow(deprecated)]
pub fn map(c: &CertificateDetail, tags: &[Tag], region: &str, account: &str) -> Resource {
    let arn = c.certificate_arn().unwrap_or_default();
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let mut records: Vec<Value> = Vec::new();
    let mut emails: Vec<String> = Vec::new();
    for dv in c.domain_validation_options() {
        if let Some(rr) = dv.resource_record() {
            records.push(Value::object([
                ("domain_name", Value::str(dv.domain_name())),
                ("resource_record_name", Value::str(rr.name())),
                ("resource_record_type", Value::str(rr.r#type().as_str())),
                ("resource_record_value", Value::str(rr.value())),
            ]));
        }
        emails.extend(dv.validation_emails().iter().cloned());
    }
    records.sort_by_key(Value::canonical);
    records.dedup();
    let validation_method = match c.r#type() {
        Some(CertificateType::AmazonIssued) => c
            .domain_validation_options()
            .first()
            .and_then(|dv| dv.validation_method())
            .map(|m| m.as_str())
            .unwrap_or("NONE"),
        _ => "NONE",
    };
    let mut sans: Vec<&str> = c.subject_alternative_names().iter().map(String::as_str).collect();
    sans.sort_unstable();
    sans.dedup();
    let renewal = match c.renewal_summary() {
        Some(rs) => Value::List(vec![Value::object([
            ("renewal_status", Value::str(rs.renewal_status().as_str())),
            ("renewal_status_reason", s(rs.renewal_status_reason().map(|r| r.as_str()))),
            ("updated_at", rfc3339(Some(rs.updated_at()))),
        ])]),
        None => Value::List(Vec::new()),
    };
    let mut r = Resource::live("aws_acm_certificate", arn, region, account, Some(arn.to_string()))
        .with("id", arn)
        .with("arn", arn)
        .with("domain_name", s(c.domain_name()))
        .with("subject_alternative_names", Value::string_list(sans))
        .with("status", s(c.status().map(|x| x.as_str())))
        .with("type", s(c.r#type().map(|x| x.as_str())))
        .with("key_algorithm", s(c.key_algorithm().map(|x| x.as_str())))
        .with("validation_method", validation_method)
        .with("domain_validation_options", Value::List(records))
        .with("validation_emails", Value::string_list(emails))
        .with("certificate_authority_arn", s(c.certificate_authority_arn()))
        .with("renewal_eligibility", s(c.renewal_eligibility().map(|x| x.as_str())))
        .with("renewal_summary", renewal)
        .with("not_before", rfc3339(c.not_before()))
        .with("not_after", rfc3339(c.not_after()))
        .with(
            "options",
            match c.options().and_then(|o| o.certificate_transparency_logging_preference()) {
                Some(p) => Value::block([("certificate_transparency_logging_preference", Value::str(p.as_str()))]),
                None => Value::List(Vec::new()),
            },
        )
        .with(
            "tags",
            Value::string_map(
                tags.iter()
                    .map(|t| (t.key().to_string(), t.value().unwrap_or_default().to_string()))
                    .filter(|(k, _)| !k.starts_with("aws:")),
            ),
        );
    // ACM never gives the key out; whatever the state holds is a secret.
    r.set("private_key", Value::Sensitive);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use aws_sdk_acm::types::{CertificateStatus, DomainValidation, RecordType, ResourceRecord, ValidationMethod};
    use serde_json::{Value as J, json};

    #[test]
    fn maps_a_requested_certificate() {
        let c = CertificateDetail::builder()
            .certificate_arn("arn:aws:acm:us-east-1:1:certificate/c")
            .domain_name("portal.example")
            .subject_alternative_names("www.portal.example")
            .subject_alternative_names("portal.example")
            .status(CertificateStatus::PendingValidation)
            .r#type(CertificateType::AmazonIssued)
            .key_algorithm(KeyAlgorithm::Rsa2048)
            .domain_validation_options(
                DomainValidation::builder()
                    .domain_name("portal.example")
                    .validation_method(ValidationMethod::Dns)
                    .resource_record(
                        ResourceRecord::builder()
                            .name("_x.portal.example.")
                            .r#type(RecordType::Cname)
                            .value("_y.acm.")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .build();
        let tags = [Tag::builder().key("Name").value("portal").build().unwrap()];
        let r = map(&c, &tags, "us-east-1", "1");
        assert_eq!(r.attr_str("validation_method"), Some("DNS"));
        assert_eq!(r.attr_str("key_algorithm"), Some("RSA_2048"));
        assert_eq!(r.attr_str("status"), Some("PENDING_VALIDATION"));
        assert_eq!(r.attr("subject_alternative_names"), &Value::string_list(["portal.example", "www.portal.example"]));
        assert_eq!(r.attr("domain_validation_options").as_list().map(<[Value]>::len), Some(1));
        assert_eq!(r.attr("private_key"), &Value::Sensitive);
        assert_eq!(r.attr("certificate_body"), &Value::Unknown);
        assert_eq!(r.attr("tags"), &Value::string_map([("Name", "portal")]));
        let imported = CertificateDetail::builder().certificate_arn("arn:c2").r#type(CertificateType::Imported).build();
        assert_eq!(map(&imported, &[], "us-east-1", "1").attr_str("validation_method"), Some("NONE"));
    }

    #[test]
    fn certificate_events() {
        let req = of("aws_acm_certificate", "acm", "RequestCertificate");
        let body =
            json!({"domainName": "portal.example", "validationMethod": "DNS", "subjectAlternativeNames": ["b", "a"]});
        let resp = json!({"certificateArn": "arn:aws:acm:us-east-1:1:certificate/c"});
        assert_eq!(req.identifiers(&body, &resp), vec!["arn:aws:acm:us-east-1:1:certificate/c"]);
        assert!(req.writes(&body, &resp).contains(&Written::Set {
            path: "subject_alternative_names".into(),
            value: Value::string_list(["a", "b"])
        }));
        let opts = of("aws_acm_certificate", "acm", "UpdateCertificateOptions");
        let body =
            json!({"certificateArn": "arn:c", "options": {"certificateTransparencyLoggingPreference": "DISABLED"}});
        assert_eq!(
            opts.writes(&body, &J::Null),
            vec![Written::Set {
                path: "options[0].certificate_transparency_logging_preference".into(),
                value: Value::str("DISABLED")
            }]
        );
    }
}
