//! Turning SDK errors into [`ReadError`]s.
//!
//! Every failure of a read (denied, throttled after retries, timed out, unparseable) is
//! reported as incomplete coverage, never as an absent resource. Classification is by
//! error code first and HTTP status second, because some emulators (and some AWS
//! front doors) answer a JSON protocol with an XML error body.

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::result::SdkError;

use crate::model::ReadError;

/// Build a [`ReadError`] from any SDK error.
pub fn read_error<E, R>(service: &str, region: &str, types: &[&str], err: SdkError<E, R>) -> ReadError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + HttpStatus + 'static,
{
    let (code, message) = match &err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            let status = se.raw().status();
            let code = e.code().map(str::to_string).unwrap_or_else(|| match status {
                401 | 403 => "AccessDenied".to_string(),
                429 => "Throttling".to_string(),
                s => format!("HTTP{s}"),
            });
            (code, e.message().map(str::to_string).unwrap_or_else(|| format!("{e}")))
        }
        SdkError::TimeoutError(_) => ("Timeout".to_string(), "the request timed out".to_string()),
        SdkError::DispatchFailure(_) => ("DispatchFailure".to_string(), chain(&err)),
        SdkError::ConstructionFailure(_) => ("RequestNotSent".to_string(), chain(&err)),
        SdkError::ResponseError(r) => {
            let status = r.raw().status();
            let code = match status {
                401 | 403 => "AccessDenied".to_string(),
                429 => "Throttling".to_string(),
                s => format!("HTTP{s}"),
            };
            (code, "the response could not be parsed".to_string())
        }
        other => ("Unknown".to_string(), format!("{other}")),
    };
    ReadError {
        account: None,
        service: service.to_string(),
        region: region.to_string(),
        code: normalise_code(&code),
        message,
        affected_types: types.iter().map(|t| t.to_string()).collect(),
    }
}

/// An error and its causes on one line, innermost last (`dispatch failure: io error: dns
/// error: failed to lookup address information`), without the SDK's Debug dumps.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let s = e.to_string();
        if !s.is_empty() && !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// A failure that no read can get past (no credentials, AWS unreachable, credentials
/// rejected): the one message to print instead of one error per resource type, with what to
/// do about it. `None` for failures that concern one call (denied, throttled, not found).
pub fn systemic<E, R>(err: &SdkError<E, R>, endpoint: Option<&str>, region: &str) -> Option<String>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let why = chain(err);
    let target = match endpoint {
        Some(url) => format!("the endpoint {url}"),
        None => format!("AWS in region {region}"),
    };
    if why.contains("no credentials") || why.contains("credential provider") || why.contains("no providers in chain") {
        return Some(
            "no AWS credentials found (none in the environment, the shared config and credentials \
             files, web identity, or the container and instance metadata); provide them the standard \
             way: AWS_PROFILE (with `aws sso login` for SSO), AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY, or an instance or container role"
                .to_string(),
        );
    }
    match err {
        SdkError::ConstructionFailure(_) => Some(format!("the AWS request could not be built ({why})")),
        SdkError::DispatchFailure(_) if why.contains("dns") || why.contains("lookup address") => Some(format!(
            "cannot reach {target}: the host name does not resolve ({why}); check the region name, \
             the network or proxy (HTTPS_PROXY), or --endpoint-url"
        )),
        SdkError::DispatchFailure(_) => {
            Some(format!("cannot reach {target} ({why}); check the network or proxy (HTTPS_PROXY), or --endpoint-url"))
        }
        SdkError::TimeoutError(_) => {
            Some(format!("{target} did not answer in time; check the network or proxy, or --endpoint-url"))
        }
        SdkError::ServiceError(se) => match se.err().code() {
            Some(
                code @ ("InvalidClientTokenId"
                | "SignatureDoesNotMatch"
                | "ExpiredToken"
                | "ExpiredTokenException"
                | "UnrecognizedClientException"
                | "InvalidAccessKeyId"
                | "AuthFailure"),
            ) => Some(format!(
                "AWS rejected the credentials ({code}: {}); refresh them (`aws sso login`, a new session) \
                 or check AWS_PROFILE / AWS_ACCESS_KEY_ID",
                se.err().message().unwrap_or("no message")
            )),
            _ => None,
        },
        _ => None,
    }
}

/// Many services spell "denied" differently; reports use one code so that a user can
/// grep for it.
fn normalise_code(code: &str) -> String {
    match code {
        "AccessDeniedException" | "UnauthorizedOperation" | "AuthFailure" | "AccessDenied" => {
            "AccessDenied".to_string()
        }
        c => c.to_string(),
    }
}

/// The HTTP status of a raw response, for classifying errors without a parsed code.
pub trait HttpStatus {
    fn status(&self) -> u16;
}

impl HttpStatus for aws_smithy_runtime_api::http::Response {
    fn status(&self) -> u16 {
        aws_smithy_runtime_api::http::Response::status(self).as_u16()
    }
}

/// The error code of an SDK service error, if any (to recognise "not configured"
/// answers such as `NoSuchPublicAccessBlockConfiguration`).
pub fn service_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}
