//! SDK configuration shared by every fetcher: the standard credential chain, region,
//! custom endpoint (path-style S3), adaptive retry, per-service concurrency bounds and a
//! call counter for `-v`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use tokio::sync::{OnceCell, Semaphore, SemaphorePermit};

use super::s3_buckets::BucketListing;
use crate::model::ReadError;

/// Options for building a [`Ctx`].
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    pub endpoint_url: Option<String>,
    /// Log each API call (service, operation, duration) to stderr.
    pub verbose: bool,
}

/// Everything a fetcher needs for one region.
pub struct Ctx {
    pub region: String,
    pub account: String,
    pub ec2: aws_sdk_ec2::Client,
    pub rds: aws_sdk_rds::Client,
    pub s3: aws_sdk_s3::Client,
    pub kms: aws_sdk_kms::Client,
    limits: BTreeMap<&'static str, Semaphore>,
    pub(crate) buckets: OnceCell<Result<Vec<BucketListing>, ReadError>>,
    /// DescribeSecurityGroups and DescribeSecurityGroupRules serve four fetchers each:
    /// read once per region.
    pub(crate) security_groups: OnceCell<Result<Vec<aws_sdk_ec2::types::SecurityGroup>, ReadError>>,
    pub(crate) security_group_rules: OnceCell<Result<Vec<aws_sdk_ec2::types::SecurityGroupRule>, ReadError>>,
}

/// Maximum requests in flight per service. S3 and KMS need one call per bucket or key, so
/// they get more room; EC2 and RDS are read in a few large pages.
const LIMITS: &[(&str, usize)] = &[("ec2", 8), ("rds", 4), ("s3", 16), ("kms", 8), ("sts", 1)];

impl Ctx {
    /// Wait for a slot for one request to `service`.
    pub async fn permit(&self, service: &str) -> SemaphorePermit<'_> {
        self.limits
            .get(service)
            .unwrap_or_else(|| panic!("no concurrency limit for service {service}"))
            .acquire()
            .await
            .expect("semaphores are never closed")
    }

    /// Concurrency bound of a service, for `buffer_unordered` fan-outs.
    pub fn limit(&self, service: &str) -> usize {
        LIMITS.iter().find(|(s, _)| *s == service).map(|(_, n)| *n).unwrap_or(4)
    }
}

/// A cached read's result for one caller: on failure, the error names the caller's types.
pub(crate) fn for_caller<T: Clone>(cached: &Result<Vec<T>, ReadError>, types: &[&str]) -> Result<Vec<T>, ReadError> {
    match cached {
        Ok(v) => Ok(v.clone()),
        Err(e) => Err(ReadError { affected_types: types.iter().map(|t| t.to_string()).collect(), ..e.clone() }),
    }
}

/// Load the standard AWS configuration (env, profiles, SSO, assume role).
pub async fn load_config(opts: &ClientOptions, region: Option<&str>) -> SdkConfig {
    // A hung endpoint must not stall a nightly job: each attempt and each operation (all
    // its retries) is bounded, and a timeout makes the scan incomplete, never "missing".
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(120))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts)
        .retry_config(RetryConfig::adaptive().with_max_attempts(6).with_initial_backoff(Duration::from_millis(200)));
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_string()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// Build the clients for one region. `account` is resolved by the caller (STS).
pub fn build_ctx(conf: &SdkConfig, region: &str, account: &str, opts: &ClientOptions, stats: &CallStats) -> Ctx {
    let interceptor = CallLogger { stats: stats.clone(), verbose: opts.verbose };
    let region = Region::new(region.to_string());
    let ec2 = aws_sdk_ec2::config::Builder::from(conf).region(region.clone()).interceptor(interceptor.clone()).build();
    let rds = aws_sdk_rds::config::Builder::from(conf).region(region.clone()).interceptor(interceptor.clone()).build();
    let kms = aws_sdk_kms::config::Builder::from(conf).region(region.clone()).interceptor(interceptor.clone()).build();
    let s3 = aws_sdk_s3::config::Builder::from(conf)
        .region(region.clone())
        // A custom endpoint (an emulator, a VPC endpoint by URL) cannot serve
        // virtual-hosted bucket names.
        .force_path_style(opts.endpoint_url.is_some())
        .interceptor(interceptor)
        .build();
    Ctx {
        region: region.to_string(),
        account: account.to_string(),
        ec2: aws_sdk_ec2::Client::from_conf(ec2),
        rds: aws_sdk_rds::Client::from_conf(rds),
        s3: aws_sdk_s3::Client::from_conf(s3),
        kms: aws_sdk_kms::Client::from_conf(kms),
        limits: LIMITS.iter().map(|(s, n)| (*s, Semaphore::new(*n))).collect(),
        buckets: OnceCell::new(),
        security_groups: OnceCell::new(),
        security_group_rules: OnceCell::new(),
    }
}

/// STS client for the account lookup, with the same logging.
pub fn sts_client(conf: &SdkConfig, opts: &ClientOptions, stats: &CallStats) -> aws_sdk_sts::Client {
    let interceptor = CallLogger { stats: stats.clone(), verbose: opts.verbose };
    aws_sdk_sts::Client::from_conf(aws_sdk_sts::config::Builder::from(conf).interceptor(interceptor).build())
}

/// Count of API calls per service, shared by every client of a run.
#[derive(Debug, Clone, Default)]
pub struct CallStats(Arc<Mutex<BTreeMap<String, u64>>>);

impl CallStats {
    fn record(&self, service: &str) {
        *self.0.lock().expect("stats lock").entry(service.to_string()).or_default() += 1;
    }

    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().expect("stats lock").clone()
    }
}

#[derive(Debug, Clone)]
struct CallLogger {
    stats: CallStats,
    verbose: bool,
}

#[derive(Debug, Clone)]
struct CallStart(Instant);
impl Storable for CallStart {
    type Storer = StoreReplace<Self>;
}

impl Intercept for CallLogger {
    fn name(&self) -> &'static str {
        "PlumbCallLogger"
    }

    // Runs once per attempt: retries are counted as calls, as the emulator sees them.
    fn read_before_transmit(
        &self,
        _ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(CallStart(Instant::now()));
        if let Some(meta) = cfg.load::<aws_smithy_runtime_api::client::orchestrator::Metadata>() {
            self.stats.record(&service_label(meta.service()));
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        ctx: &FinalizerInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !self.verbose {
            return Ok(());
        }
        let meta = cfg.load::<aws_smithy_runtime_api::client::orchestrator::Metadata>();
        let (service, op) = meta.map(|m| (service_label(m.service()), m.name().to_string())).unwrap_or_default();
        let ms = cfg.load::<CallStart>().map(|s| s.0.elapsed().as_millis()).unwrap_or(0);
        let status = ctx.response().map(|r| r.status().as_u16().to_string()).unwrap_or_else(|| "-".to_string());
        eprintln!("plumb: api {service} {op} {status} {ms}ms");
        Ok(())
    }
}

/// `ec2`, `s3`... from the SDK's service name (`EC2`, `S3`, `RDS`, `KMS`, `STS`).
fn service_label(s: &str) -> String {
    s.to_ascii_lowercase()
}
