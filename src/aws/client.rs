//! SDK configuration shared by every live read: the standard credential chain, region,
//! custom endpoint (path-style S3), adaptive retry, per-service concurrency bounds, one
//! client per service and region (each service declares how to build its client with
//! [`sdk_client!`]), reads shared by several types, and a call counter for `-v`.

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
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

use crate::model::ReadError;

/// Options for building a [`Ctx`].
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    pub endpoint_url: Option<String>,
    /// Log each API call (service, operation, duration) to stderr.
    pub verbose: bool,
    /// Longest wait for one attempt of one call; `None`: [`DEFAULT_CALL_TIMEOUT`].
    pub call_timeout: Option<Duration>,
}

/// One attempt of one API call (`--call-timeout`).
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// A call with all its retries gets this many times the attempt timeout.
pub const ATTEMPTS_PER_CALL_TIMEOUT: u32 = 4;
/// Attempts per call (the first and five retries), with adaptive client-side rate limiting.
pub const MAX_ATTEMPTS: u32 = 6;

/// What a service's client is built from (see [`sdk_client!`]).
pub struct Setup<'a> {
    pub conf: &'a SdkConfig,
    pub region: Region,
    pub interceptor: CallLogger,
    /// Every call goes to a custom endpoint (an emulator, a VPC endpoint by URL): S3 cannot
    /// serve virtual-hosted bucket names there.
    pub custom_endpoint: bool,
}

/// An SDK client a [`Ctx`] can build and cache.
pub trait SdkClient: Clone + Send + Sync + 'static {
    fn build(setup: &Setup<'_>) -> Self;
}

/// `sdk_client!(aws_sdk_eks);` in a service module: its client, built from the shared
/// configuration with the context's region and the call logger. An optional closure adjusts
/// the config builder (`|b, setup| b.force_path_style(setup.custom_endpoint)`).
#[macro_export]
macro_rules! sdk_client {
    ($krate:ident) => {
        $crate::sdk_client!($krate, |b, _setup| b);
    };
    ($krate:ident, |$b:ident, $setup:ident| $adjust:expr) => {
        impl $crate::aws::client::SdkClient for $krate::Client {
            fn build($setup: &$crate::aws::client::Setup<'_>) -> Self {
                let $b = $krate::config::Builder::from($setup.conf)
                    .region($setup.region.clone())
                    .interceptor($setup.interceptor.clone());
                $krate::Client::from_conf($adjust.build())
            }
        }
    };
}

type Shared = Arc<dyn Any + Send + Sync>;

/// Everything a live read needs for one region of one account.
pub struct Ctx {
    pub region: String,
    pub account: String,
    conf: SdkConfig,
    interceptor: CallLogger,
    custom_endpoint: bool,
    limits: BTreeMap<&'static str, (usize, Semaphore)>,
    clients: Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>,
    shared: Mutex<HashMap<&'static str, Arc<OnceCell<Shared>>>>,
    /// `(type, id)` of every resource the scanned states manage: reads that cost one call
    /// per resource (an instance's DescribeInstanceAttribute) are spent on these only.
    in_state: Arc<BTreeSet<(String, String)>>,
    /// The scanned states' resources, for reads that can only ask for what a state names
    /// and need more than its id to ask (an object's bucket and key).
    state: Arc<Vec<crate::model::Resource>>,
}

/// Requests in flight for a service that declares no bound (STS, CloudTrail's lookups).
const DEFAULT_LIMIT: usize = 4;

impl Ctx {
    /// The service's client for this context's region (built once).
    pub fn client<C: SdkClient>(&self) -> C {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        let c = clients.entry(TypeId::of::<C>()).or_insert_with(|| {
            Box::new(C::build(&Setup {
                conf: &self.conf,
                region: Region::new(self.region.clone()),
                interceptor: self.interceptor.clone(),
                custom_endpoint: self.custom_endpoint,
            }))
        });
        c.downcast_ref::<C>().cloned().unwrap_or_else(|| unreachable!("client cache is keyed by type"))
    }

    /// Wait for a slot for one request to `service`.
    pub async fn permit(&self, service: &str) -> SemaphorePermit<'_> {
        match self.limits.get(service) {
            Some((_, s)) => s.acquire().await.unwrap_or_else(|_| unreachable!("semaphores are never closed")),
            None => self.limits["*"].1.acquire().await.unwrap_or_else(|_| unreachable!("semaphores are never closed")),
        }
    }

    /// Concurrency bound of a service, for `buffer_unordered` fan-outs.
    pub fn limit(&self, service: &str) -> usize {
        self.limits.get(service).map(|(n, _)| *n).unwrap_or(DEFAULT_LIMIT)
    }

    /// The same context, told which resources the scanned states manage.
    pub fn with_state(mut self, in_state: Arc<BTreeSet<(String, String)>>) -> Ctx {
        self.in_state = in_state;
        self
    }

    /// The same context, given the scanned states' resources (see [`Ctx::state_resources`]).
    pub fn with_state_resources(mut self, state: Arc<Vec<crate::model::Resource>>) -> Ctx {
        self.state = state;
        self
    }

    /// The scanned states' resources of `rtype` (none when no state was given).
    pub fn state_resources<'a>(&'a self, rtype: &'a str) -> impl Iterator<Item = &'a crate::model::Resource> + 'a {
        self.state.iter().filter(move |r| r.rtype == rtype)
    }

    /// The same context with other concurrency bounds for some services (an estate's
    /// `[limits]`: requests in flight per service in this region of the account). Names that
    /// are not services are ignored (the estates file is checked when read).
    pub fn with_limits(mut self, overrides: &BTreeMap<String, usize>) -> Ctx {
        for (name, n) in overrides {
            if let Some(service) = super::SERVICES.iter().find(|s| s.name == name.as_str()) {
                let n = (*n).max(1);
                self.limits.insert(service.name, (n, Semaphore::new(n)));
            }
        }
        self
    }

    /// Does a scanned state manage this resource? (`false` when no state was given.)
    pub fn in_state(&self, rtype: &str, id: &str) -> bool {
        self.in_state.contains(&(rtype.to_string(), id.to_string()))
    }

    /// Ids of the scanned states' resources of `rtype`, sorted: reads that can only be made
    /// per resource the state names (an object's HeadObject, one tag of a resource) ask for
    /// these only.
    pub fn state_ids(&self, rtype: &str) -> Vec<&str> {
        self.in_state.iter().filter(|(t, _)| t == rtype).map(|(_, id)| id.as_str()).collect()
    }

    /// A read several types share (the bucket listing, DescribeSecurityGroups), done once
    /// per context under `key`; later callers get a clone of the first answer.
    pub async fn once<T, F, Fut>(&self, key: &'static str, read: F) -> T
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        let cell = {
            let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
            shared.entry(key).or_default().clone()
        };
        let v = cell.get_or_init(|| async { Arc::new(read().await) as Shared }).await;
        v.downcast_ref::<T>().cloned().unwrap_or_else(|| panic!("shared read {key} used with two types"))
    }
}

/// The reads a scan deadline cut short: one error per service and region, naming its types.
pub fn deadline_errors<'a>(
    unfinished: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    deadline: Duration,
) -> Vec<ReadError> {
    let mut by_service: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for (service, region, rtype) in unfinished {
        by_service.entry((service, region)).or_default().push(rtype.to_string());
    }
    by_service
        .into_iter()
        .map(|((service, region), mut types)| {
            types.sort();
            types.dedup();
            ReadError {
                service: service.to_string(),
                region: region.to_string(),
                code: "DeadlineExceeded".to_string(),
                message: format!(
                    "the scan deadline ({}) passed before these reads finished (--deadline)",
                    humantime(deadline)
                ),
                affected_types: types,
                account: None,
            }
        })
        .collect()
}

/// `90s`, `30m`, `1h 30m`, `500ms`.
pub fn humantime(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 || ms % 1000 != 0 {
        return format!("{ms}ms");
    }
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, 0) => format!("{h}h {m}m"),
        _ => format!("{s}s"),
    }
}

/// A shared read's result for one caller: on failure, the error names the caller's types.
pub fn for_caller<T: Clone>(cached: &Result<Vec<T>, ReadError>, types: &[&str]) -> Result<Vec<T>, ReadError> {
    match cached {
        Ok(v) => Ok(v.clone()),
        Err(e) => Err(ReadError { affected_types: types.iter().map(|t| t.to_string()).collect(), ..e.clone() }),
    }
}

/// Load the standard AWS configuration (env, profiles, SSO, assume role).
pub async fn load_config(opts: &ClientOptions, region: Option<&str>) -> SdkConfig {
    // A hung endpoint must not stall a nightly job: each attempt and each operation (all
    // its retries) is bounded, and a timeout makes the scan incomplete, never "missing".
    let attempt = opts.call_timeout.unwrap_or(DEFAULT_CALL_TIMEOUT);
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(attempt.min(Duration::from_secs(5)))
        .read_timeout(attempt)
        .operation_attempt_timeout(attempt)
        .operation_timeout(attempt * ATTEMPTS_PER_CALL_TIMEOUT)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts).retry_config(
        RetryConfig::adaptive()
            .with_max_attempts(MAX_ATTEMPTS)
            .with_initial_backoff(Duration::from_millis(200))
            // Adaptive mode folds its client-side rate limiter's wait into this bound too.
            .with_max_backoff((attempt / 2).min(Duration::from_secs(20))),
    );
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_string()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// The context for one region. `account` is resolved by the caller (STS).
pub fn build_ctx(conf: &SdkConfig, region: &str, account: &str, opts: &ClientOptions, stats: &CallStats) -> Ctx {
    let mut limits: BTreeMap<&'static str, (usize, Semaphore)> =
        super::SERVICES.iter().map(|s| (s.name, (s.concurrency, Semaphore::new(s.concurrency)))).collect();
    limits.insert("*", (DEFAULT_LIMIT, Semaphore::new(DEFAULT_LIMIT)));
    Ctx {
        region: region.to_string(),
        account: account.to_string(),
        conf: conf.clone(),
        interceptor: CallLogger { stats: stats.clone(), verbose: opts.verbose },
        custom_endpoint: opts.endpoint_url.is_some(),
        limits,
        clients: Mutex::default(),
        shared: Mutex::default(),
        in_state: Arc::default(),
        state: Arc::default(),
    }
}

/// STS client for the account lookup, with the same logging.
pub fn sts_client(conf: &SdkConfig, opts: &ClientOptions, stats: &CallStats) -> aws_sdk_sts::Client {
    let interceptor = CallLogger { stats: stats.clone(), verbose: opts.verbose };
    aws_sdk_sts::Client::from_conf(aws_sdk_sts::config::Builder::from(conf).interceptor(interceptor).build())
}

/// STS in one region (a regional endpoint: a mistyped region does not resolve).
pub fn sts_client_in(conf: &SdkConfig, region: &str, opts: &ClientOptions, stats: &CallStats) -> aws_sdk_sts::Client {
    let interceptor = CallLogger { stats: stats.clone(), verbose: opts.verbose };
    aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(conf)
            .region(Region::new(region.to_string()))
            .interceptor(interceptor)
            .build(),
    )
}

/// Count of API calls per service, shared by every client of a run.
#[derive(Debug, Clone, Default)]
pub struct CallStats(Arc<Mutex<BTreeMap<String, u64>>>);

impl CallStats {
    fn record(&self, service: &str) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()).entry(service.to_string()).or_default() += 1;
    }

    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Counts every attempt and, with `-v`, logs each call.
#[derive(Debug, Clone)]
pub struct CallLogger {
    stats: CallStats,
    verbose: bool,
}

impl CallLogger {
    pub fn new(stats: &CallStats, verbose: bool) -> CallLogger {
        CallLogger { stats: stats.clone(), verbose }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_errors_name_each_service_and_region_once() {
        let unfinished = [
            ("s3", "us-east-1", "aws_s3_bucket_policy"),
            ("s3", "us-east-1", "aws_s3_bucket"),
            ("ec2", "eu-west-1", "aws_vpc"),
        ];
        let errors = deadline_errors(unfinished, Duration::from_secs(1800));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1].service, "s3");
        assert_eq!(errors[1].affected_types, ["aws_s3_bucket", "aws_s3_bucket_policy"]);
        assert!(errors.iter().all(|e| e.code == "DeadlineExceeded"));
        assert!(errors[0].message.contains("(30m)"), "{}", errors[0].message);
        assert_eq!(humantime(Duration::from_millis(1500)), "1500ms");
        assert_eq!(humantime(Duration::from_secs(5400)), "1h 30m");
    }
}

/// Is `r` spelled like an AWS region name?
pub fn is_region_name(r: &str) -> bool {
    const DIRECTIONS: &[&str] =
        &["central", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"];
    let parts: Vec<&str> = r.split('-').collect();
    match parts.as_slice() {
        [area, rest @ .., dir, n] => {
            area.len() == 2
                && area.chars().all(|c| c.is_ascii_lowercase())
                && rest.iter().all(|p| matches!(*p, "gov" | "iso" | "isob" | "isoe" | "isof"))
                && DIRECTIONS.contains(dir)
                && !n.is_empty()
                && n.len() <= 2
                && n.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}
