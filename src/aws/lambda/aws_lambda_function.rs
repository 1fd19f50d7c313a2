//! `aws_lambda_function`: ListFunctions (paginated; every function's configuration in bulk),
//! then for the functions a scanned state manages ListTags and GetFunctionConcurrency. Id: the
//! function name.
//!
//! Never the code: GetFunction is not called (it hands out a link to download the package,
//! and IAM's `lambda:GetFunction` is what grants that), so `image_uri`, `code_signing_config_arn`
//! and `source_code_hash` stay Unknown; a new package shows only in the computed
//! `code_sha256`, which is not judged. Environment variables carry secrets: their values are
//! read as `Sensitive` here (and redacted from the state at ingest), so they are never
//! compared, stored or printed; the variable names are kept.
//!
//! Follows the provider's read otherwise: optional blocks (`vpc_config`, `dead_letter_config`,
//! `environment`, `file_system_config`, `image_config`, `snap_start`) empty when AWS answers
//! none, `reserved_concurrent_executions` -1 without a reservation, `qualified_arn` and
//! `invoke_arn` composed as the provider does. Tags and reserved concurrency of functions no
//! state manages are not read (two calls per function): Unknown.
//!
//! CloudTrail logs Lambda's calls under versioned names (`UpdateFunctionConfiguration20150331v2`);
//! `functionName` is a name or an ARN. Environment values arrive redacted.

use aws_sdk_lambda::types::{FunctionConfiguration, SnapStartApplyOn};
use futures::{FutureExt, StreamExt, TryStreamExt};

use crate::aws::errors::{read_error, service_code};
use crate::aws::event::{Event, W};
use crate::aws::{Ctx, FetchResult, Identity, Read, ResourceType};
use crate::model::{Resource, Value};

const TYPES: &[&str] = &["aws_lambda_function"];

/// What CreateFunction and UpdateFunctionConfiguration write (same request shape).
const CONFIGURATION: &[W] = &[
    W::Param("role", "role"),
    W::Param("handler", "handler"),
    W::Param("runtime", "runtime"),
    W::Param("description", "description"),
    W::Param("memory_size", "memorySize"),
    W::Param("timeout", "timeout"),
    W::Param("kms_key_arn", "kMSKeyArn|kmsKeyArn"),
    W::Param("tracing_config[0].mode", "tracingConfig.mode"),
    W::List("layers", "layers[]"),
    W::Touch("environment"),
];

pub static TYPE: ResourceType = ResourceType {
    read: Some(Read { fetch: |ctx| fetch(ctx).boxed(), global: false }),
    identity: Identity::arn("lambda", "function:", &["function_name"]),
    events: &[
        Event::create("lambda", "CreateFunction20150331", &["functionName", "@functionArn"])
            .also(&["CreateFunction"])
            .writing(CONFIGURATION),
        Event::modify("lambda", "UpdateFunctionConfiguration20150331v2", &["functionName", "@functionArn"])
            .also(&["UpdateFunctionConfiguration"])
            .writing(CONFIGURATION),
        Event::modify("lambda", "UpdateFunctionCode20150331v2", &["functionName", "@functionArn"])
            .also(&["UpdateFunctionCode"])
            .writing(&[W::Touch("source_code_hash")]),
        Event::delete("lambda", "DeleteFunction20150331", &["functionName"]).also(&["DeleteFunction"]),
        Event::modify("lambda", "PutFunctionConcurrency20171031", &["functionName"])
            .also(&["PutFunctionConcurrency"])
            .writing(&[W::Param("reserved_concurrent_executions", "reservedConcurrentExecutions")]),
        Event::modify("lambda", "DeleteFunctionConcurrency20171031", &["functionName"])
            .also(&["DeleteFunctionConcurrency"])
            .writing(&[W::Touch("reserved_concurrent_executions")]),
        Event::modify("lambda", "TagResource20170331v2", &["resource"])
            .also(&["TagResource"])
            .writing(&[W::Custom(tag_map)]),
        Event::modify("lambda", "UntagResource20170331v2", &["resource"])
            .also(&["UntagResource"])
            .writing(&[W::Untags { items: "tagKeys[]", key: "" }]),
    ],
    ..ResourceType::base("aws_lambda_function", "lambda")
};

async fn fetch(ctx: &Ctx) -> FetchResult {
    let lambda = ctx.client::<aws_sdk_lambda::Client>();
    let mut functions: Vec<FunctionConfiguration> = Vec::new();
    let mut pages = lambda.list_functions().max_items(50).into_paginator().send();
    while let Some(page) = {
        let _p = ctx.permit("lambda").await;
        pages.next().await
    } {
        let page = page.map_err(|e| read_error("lambda", &ctx.region, TYPES, e))?;
        functions.extend(page.functions().iter().cloned());
    }
    let lambda = &lambda;
    futures::stream::iter(functions)
        .map(|f| async move {
            let mut r = map(&f, &ctx.region, &ctx.account);
            let (Some(name), Some(arn)) = (f.function_name(), f.function_arn()) else { return Ok(r) };
            if !ctx.in_state("aws_lambda_function", name) {
                return Ok(r);
            }
            let tagged = async {
                let _p = ctx.permit("lambda").await;
                lambda.list_tags().resource(arn).send().await
            };
            let reserved = async {
                let _p = ctx.permit("lambda").await;
                lambda.get_function_concurrency().function_name(name).send().await
            };
            let (tagged, reserved) = futures::join!(tagged, reserved);
            let gone = |code: Option<&str>| code == Some("ResourceNotFoundException");
            match tagged {
                Ok(t) => r.set("tags", tags(t.tags())),
                Err(e) if gone(service_code(&e)) => {}
                Err(e) => return Err(read_error("lambda", &ctx.region, TYPES, e)),
            }
            match reserved {
                Ok(c) => r.set(
                    "reserved_concurrent_executions",
                    Value::int(c.reserved_concurrent_executions().unwrap_or(-1).into()),
                ),
                Err(e) if gone(service_code(&e)) => {}
                Err(e) => return Err(read_error("lambda", &ctx.region, TYPES, e)),
            }
            Ok(r)
        })
        .buffer_unordered(ctx.limit("lambda"))
        .try_collect()
        .await
}

/// Tags as the provider stores them: keys AWS adds (`aws:*`) hidden.
fn tags(tags: Option<&std::collections::HashMap<String, String>>) -> Value {
    Value::string_map(
        tags.into_iter().flatten().filter(|(k, _)| !k.starts_with("aws:")).map(|(k, v)| (k.clone(), v.clone())),
    )
}

fn set(items: &[String]) -> Value {
    let mut v: Vec<&str> = items.iter().map(String::as_str).collect();
    v.sort_unstable();
    v.dedup();
    Value::string_list(v)
}

/// Pure mapping from the SDK's `FunctionConfiguration` to provider v5 attributes (tags and
/// reserved concurrency apart). Environment values are `Sensitive`.
pub fn map(f: &FunctionConfiguration, region: &str, account: &str) -> Resource {
    let name = f.function_name().unwrap_or_default();
    let arn = f
        .function_arn()
        .map(str::to_string)
        .unwrap_or_else(|| format!("arn:aws:lambda:{region}:{account}:function:{name}"));
    let version = f.version().unwrap_or("$LATEST");
    let s = |v: Option<&str>| Value::str(v.unwrap_or_default());
    let empty = || Value::List(Vec::new());
    let invoke = |a: &str| format!("arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{a}/invocations");
    let qualified = format!("{arn}:{version}");
    Resource::live("aws_lambda_function", name, region, account, Some(arn.clone()))
        .with("id", name)
        .with("function_name", name)
        .with("arn", arn.clone())
        .with("invoke_arn", invoke(&arn))
        .with("qualified_arn", qualified.clone())
        .with("qualified_invoke_arn", invoke(&qualified))
        .with("version", version)
        .with("role", s(f.role()))
        .with("handler", s(f.handler()))
        .with("runtime", s(f.runtime().map(|r| r.as_str())))
        .with("description", s(f.description()))
        .with("memory_size", Value::opt_int(f.memory_size()))
        .with("timeout", Value::opt_int(f.timeout()))
        .with("kms_key_arn", s(f.kms_key_arn()))
        .with("package_type", s(f.package_type().map(|p| p.as_str())))
        .with("code_sha256", s(f.code_sha256()))
        .with("source_code_size", Value::int(f.code_size()))
        .with("last_modified", s(f.last_modified()))
        .with("signing_job_arn", s(f.signing_job_arn()))
        .with("signing_profile_version_arn", s(f.signing_profile_version_arn()))
        .with("architectures", Value::string_list(f.architectures().iter().map(|a| a.as_str())))
        .with("layers", Value::string_list(f.layers().iter().filter_map(|l| l.arn())))
        .with(
            "environment",
            match f.environment().and_then(|e| e.variables()).filter(|v| !v.is_empty()) {
                // Secrets: the names are kept, the values never leave AWS.
                Some(vars) => Value::List(vec![Value::object([(
                    "variables",
                    Value::Map(vars.keys().map(|k| (k.clone(), Value::Sensitive)).collect()),
                )])]),
                None => empty(),
            },
        )
        .with(
            "vpc_config",
            match f.vpc_config().filter(|v| !v.subnet_ids().is_empty()) {
                Some(v) => Value::block([
                    ("ipv6_allowed_for_dual_stack", Value::Bool(v.ipv6_allowed_for_dual_stack().unwrap_or(false))),
                    ("security_group_ids", set(v.security_group_ids())),
                    ("subnet_ids", set(v.subnet_ids())),
                    ("vpc_id", s(v.vpc_id())),
                ]),
                None => empty(),
            },
        )
        .with(
            "dead_letter_config",
            match f.dead_letter_config().and_then(|d| d.target_arn()) {
                Some(t) => Value::block([("target_arn", Value::str(t))]),
                None => empty(),
            },
        )
        .with(
            "tracing_config",
            match f.tracing_config().and_then(|t| t.mode()) {
                Some(m) => Value::block([("mode", Value::str(m.as_str()))]),
                None => empty(),
            },
        )
        .with(
            "ephemeral_storage",
            match f.ephemeral_storage() {
                Some(e) => Value::block([("size", Value::int(e.size().into()))]),
                None => empty(),
            },
        )
        .with(
            "file_system_config",
            Value::List(
                f.file_system_configs()
                    .iter()
                    .map(|c| {
                        Value::object([
                            ("arn", Value::str(c.arn())),
                            ("local_mount_path", Value::str(c.local_mount_path())),
                        ])
                    })
                    .collect(),
            ),
        )
        .with(
            "image_config",
            match f.image_config_response().and_then(|i| i.image_config()) {
                Some(i) => Value::block([
                    ("command", Value::string_list(i.command().iter().cloned())),
                    ("entry_point", Value::string_list(i.entry_point().iter().cloned())),
                    ("working_directory", s(i.working_directory())),
                ]),
                None => empty(),
            },
        )
        .with(
            "snap_start",
            match f.snap_start().filter(|x| matches!(x.apply_on(), Some(SnapStartApplyOn::PublishedVersions))) {
                Some(x) => Value::block([
                    ("apply_on", s(x.apply_on().map(|a| a.as_str()))),
                    ("optimization_status", s(x.optimization_status().map(|o| o.as_str()))),
                ]),
                None => empty(),
            },
        )
        .with(
            "logging_config",
            match f.logging_config() {
                Some(l) => Value::block([
                    ("application_log_level", s(l.application_log_level().map(|x| x.as_str()))),
                    ("log_format", s(l.log_format().map(|x| x.as_str()))),
                    ("log_group", s(l.log_group())),
                    ("system_log_level", s(l.system_log_level().map(|x| x.as_str()))),
                ]),
                None => empty(),
            },
        )
}

/// `tags: {k: v}` (Lambda's TagResource carries a map).
fn tag_map(req: &serde_json::Value, _resp: &serde_json::Value, out: &mut Vec<crate::aws::Written>) {
    if let Some(serde_json::Value::Object(m)) = req.get("tags") {
        for (k, v) in m {
            out.push(crate::aws::Written::Set { path: format!("tags.{k}"), value: crate::aws::event::value(v) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Written;
    use crate::aws::event::of;
    use aws_sdk_lambda::types::{EnvironmentResponse, Runtime, TracingConfigResponse, TracingMode};
    use serde_json::{Value as J, json};

    #[test]
    fn maps_a_function_without_its_secrets() {
        let f = FunctionConfiguration::builder()
            .function_name("edge-api")
            .function_arn("arn:aws:lambda:us-east-1:1:function:edge-api")
            .runtime(Runtime::Python312)
            .role("arn:aws:iam::1:role/edge-lambda")
            .handler("index.handler")
            .memory_size(256)
            .timeout(10)
            .version("$LATEST")
            .environment(
                EnvironmentResponse::builder().variables("DB_PASSWORD", "hunter2").variables("DB_HOST", "db").build(),
            )
            .tracing_config(TracingConfigResponse::builder().mode(TracingMode::PassThrough).build())
            .build();
        let r = map(&f, "us-east-1", "1");
        assert_eq!(r.id, "edge-api");
        assert_eq!(r.attr_str("qualified_arn"), Some("arn:aws:lambda:us-east-1:1:function:edge-api:$LATEST"));
        assert_eq!(r.attr("memory_size"), &Value::int(256));
        let vars = r.attr("environment").get("variables").unwrap();
        assert_eq!(vars.get("DB_PASSWORD"), Some(&Value::Sensitive));
        assert_eq!(vars.get("DB_HOST"), Some(&Value::Sensitive));
        assert!(!format!("{r:?}").contains("hunter2"), "a secret left AWS");
        assert_eq!(r.attr("vpc_config"), &Value::List(vec![]));
        assert_eq!(r.attr("tracing_config").get("mode"), Some(&Value::str("PassThrough")));
        // Not read: the code and what only a per-function call answers.
        for unknown in ["source_code_hash", "image_uri", "tags", "reserved_concurrent_executions"] {
            assert_eq!(r.attr(unknown), &Value::Unknown, "{unknown}");
        }
    }

    #[test]
    fn function_events_under_their_versioned_names() {
        let u = of("aws_lambda_function", "lambda", "UpdateFunctionConfiguration20150331v2");
        let req = json!({"functionName": "edge-api", "memorySize": 1024, "environment": {"variables": "****"}});
        assert_eq!(u.identifiers(&req, &J::Null), vec!["edge-api"]);
        let w = u.writes(&req, &J::Null);
        assert!(w.contains(&Written::Set { path: "memory_size".into(), value: Value::int(1024) }));
        assert!(w.contains(&Written::Touch { path: "environment".into() }));
        assert!(!crate::aws::event::lookup("lambda.amazonaws.com", "UpdateFunctionConfiguration").is_empty());
        let c = of("aws_lambda_function", "lambda", "PutFunctionConcurrency20171031");
        let req = json!({"functionName": "edge-api", "reservedConcurrentExecutions": 5});
        assert_eq!(
            c.writes(&req, &J::Null),
            vec![Written::Set { path: "reserved_concurrent_executions".into(), value: Value::int(5) }]
        );
    }
}
