//! A generic webhook: the delta as JSON, signed so the receiver can tell it came from this
//! plumb and is not a replay.
//!
//! ```text
//! POST <PLUMB_WEBHOOK_URL>
//! Content-Type: application/json
//! X-Plumb-Event: plumb.delta
//! X-Plumb-Delivery: <run hash, 16 hex>-<base run>     the same delta is the same delivery
//! X-Plumb-Timestamp: <Unix seconds when sent>
//! X-Plumb-Signature: sha256=<hex HMAC-SHA256(PLUMB_WEBHOOK_SECRET, "<timestamp>.<body>")>
//! ```
//!
//! The receiver recomputes the HMAC over the timestamp, a dot and the raw body bytes, compares
//! in constant time, and rejects timestamps more than 5 minutes from its clock (a captured
//! request cannot be replayed later: the timestamp is signed). docs/notifications.md has
//! receiver code.

use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http::{Method, Uri};
use sha2::Sha256;

use super::Delta;
use super::http::{Client, Request, SendError};

pub const SIGNATURE_HEADER: &str = "x-plumb-signature";
pub const TIMESTAMP_HEADER: &str = "x-plumb-timestamp";
pub const DELIVERY_HEADER: &str = "x-plumb-delivery";
pub const EVENT_HEADER: &str = "x-plumb-event";
/// How far a receiver should accept timestamps from its own clock.
pub const TOLERANCE_SECONDS: i64 = 300;

pub fn request(uri: Uri) -> Request {
    Request {
        method: Method::POST,
        uri,
        headers: vec![("content-type", "application/json".into())],
        body: Bytes::new(),
        max_response: 64 * 1024,
    }
}

/// `sha256=<hex>` of HMAC-SHA256 over `"{timestamp}.{body}"`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length; the error arm is unreachable but not a panic.
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Check a signature as a receiver does: the HMAC matches (constant time) and the timestamp is
/// within [`TOLERANCE_SECONDS`] of `now`.
pub fn verify(secret: &str, timestamp: &str, body: &[u8], signature: &str, now: i64) -> bool {
    let Ok(ts) = timestamp.trim().parse::<i64>() else { return false };
    if (now - ts).abs() > TOLERANCE_SECONDS {
        return false;
    }
    let Some(hex) = signature.trim().strip_prefix("sha256=") else { return false };
    let Some(given) = decode_hex(hex) else { return false };
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(ts.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// The body: the delta as compact JSON.
pub fn body(d: &Delta) -> Bytes {
    Bytes::from(serde_json::to_vec(d).unwrap_or_default())
}

/// Deliver, signed with the time of the first attempt.
pub async fn send(client: &Client, req: &Request, secret: &str, d: &Delta) -> Result<(), SendError> {
    let body = body(d);
    let mut req = req.clone();
    req.body = body.clone();
    req.headers.push((EVENT_HEADER, d.event.to_string()));
    req.headers.push((DELIVERY_HEADER, d.delivery_id()));
    // One timestamp per delivery: retries come within minutes, well inside the tolerance.
    let ts = time::OffsetDateTime::now_utc().unix_timestamp();
    req.headers.push((TIMESTAMP_HEADER, ts.to_string()));
    req.headers.push((SIGNATURE_HEADER, sign(secret, ts, &body)));
    client.send("webhook", &req).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies() {
        let sig = sign("Jefe", 0, b"what do ya want for nothing?");
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
        let body = br#"{"event":"plumb.delta"}"#;
        let s = sign("0123456789abcdef0123", 1_800_000_000, body);
        assert!(verify("0123456789abcdef0123", "1800000000", body, &s, 1_800_000_100));
        assert!(!verify("0123456789abcdef0123", "1800000000", body, &s, 1_800_000_400), "too old");
        assert!(!verify("0123456789abcdef0123", "1800000001", body, &s, 1_800_000_000), "timestamp is signed");
        assert!(!verify("another-secret-000000", "1800000000", body, &s, 1_800_000_000));
        assert!(!verify("0123456789abcdef0123", "1800000000", b"{}", &s, 1_800_000_000));
        assert!(!verify("0123456789abcdef0123", "1800000000", body, "sha256=zz", 1_800_000_000));
    }

    #[test]
    fn known_vector() {
        // The hmac crate as wired here gives the textbook HMAC-SHA256 of the pangram.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"key").unwrap();
        mac.update(b"The quick brown fox jumps over the lazy dog");
        let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }
}
