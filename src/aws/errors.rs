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
    R: std::fmt::Debug + HttpStatus,
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
        SdkError::DispatchFailure(d) => ("DispatchFailure".to_string(), format!("{:?}", d)),
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
        service: service.to_string(),
        region: region.to_string(),
        code: normalise_code(&code),
        message,
        affected_types: types.iter().map(|t| t.to_string()).collect(),
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
