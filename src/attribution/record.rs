//! One CloudTrail record, as delivered in log files and in LookupEvents' `CloudTrailEvent`.
//!
//! Only the fields attribution reads are declared; unknown fields (newer minor versions) are
//! ignored, and the fields that changed type over time (`readOnly` is a boolean in files and
//! a string in LookupEvents; `sessionCredentialFromConsole` is the string `"true"`) accept both.

use serde::{Deserialize, Deserializer};
use serde_json::Value as Json;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Record {
    pub event_version: Option<String>,
    pub event_time: String,
    pub event_source: String,
    pub event_name: String,
    pub aws_region: Option<String>,
    #[serde(rename = "eventID")]
    pub event_id: String,
    pub event_type: Option<String>,
    #[serde(deserialize_with = "lenient_bool")]
    pub read_only: Option<bool>,
    pub user_identity: UserIdentity,
    #[serde(rename = "sourceIPAddress")]
    pub source_ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub request_parameters: Json,
    pub response_elements: Json,
    #[serde(deserialize_with = "nullable_vec")]
    pub resources: Vec<RecordResource>,
    pub recipient_account_id: Option<String>,
    #[serde(deserialize_with = "lenient_bool")]
    pub session_credential_from_console: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserIdentity {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub principal_id: Option<String>,
    pub arn: Option<String>,
    pub account_id: Option<String>,
    pub access_key_id: Option<String>,
    pub user_name: Option<String>,
    pub invoked_by: Option<String>,
    pub session_context: Option<SessionContext>,
    pub on_behalf_of: Option<OnBehalfOf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionContext {
    pub source_identity: Option<String>,
    pub session_issuer: Option<SessionIssuer>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionIssuer {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub arn: Option<String>,
    pub account_id: Option<String>,
    pub user_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OnBehalfOf {
    pub user_id: Option<String>,
    pub identity_store_arn: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecordResource {
    #[serde(rename = "ARN")]
    pub arn: Option<String>,
    #[serde(rename = "accountId")]
    pub account_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl Record {
    /// Major version 1 is the only one that exists; a record claiming another major is
    /// skipped rather than misread. Any minor parses (unknown fields are ignored).
    pub fn supported_version(&self) -> bool {
        match &self.event_version {
            None => true,
            Some(v) => v.split('.').next() == Some("1"),
        }
    }
}

/// `true`, `false`, `"true"`, `"false"` (any case) or null.
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Json::deserialize(d)? {
        Json::Bool(b) => Some(b),
        Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// A list that may be `null` (or an object, for a one-element XML-derived list).
fn nullable_vec<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(match Json::deserialize(d)? {
        Json::Array(items) => items.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect(),
        v @ Json::Object(_) => serde_json::from_value(v).ok().into_iter().collect(),
        _ => Vec::new(),
    })
}

/// Byte ranges of the records in a log file: the objects of the top-level `"Records"` array
/// (`{"Records":[{...},{...}]}`), or of a bare top-level array. A structural scan that jumps
/// between quotes and braces, so a file is never materialised as a JSON tree and a record is
/// parsed only when the caller wants it.
pub fn record_spans(buf: &[u8]) -> Result<Vec<std::ops::Range<usize>>, String> {
    let first = buf.iter().position(|b| !b.is_ascii_whitespace()).ok_or("empty file")?;
    // Depth (in braces) at which records sit, and whether the current depth-1 key is "Records".
    let (record_depth, mut in_records) = match buf[first] {
        b'{' => (2u32, false),
        b'[' => (1u32, true),
        _ => return Err("not a CloudTrail log file (expected {\"Records\": [...]})".into()),
    };
    let mut spans = Vec::new();
    let mut depth = 0u32;
    let mut start = None;
    let mut pos = first;
    while let Some(off) = memchr::memchr3(b'"', b'{', b'}', &buf[pos..]) {
        let i = pos + off;
        match buf[i] {
            b'"' => {
                let end = string_end(buf, i + 1).ok_or("unterminated string")?;
                if depth == 1 && record_depth == 2 {
                    // A key of the top-level object if a colon follows.
                    let after = buf[end + 1..].iter().find(|b| !b.is_ascii_whitespace());
                    if after == Some(&b':') {
                        in_records = &buf[i + 1..end] == b"Records";
                    }
                }
                pos = end + 1;
            }
            b'{' => {
                depth += 1;
                if depth == record_depth && in_records {
                    start = Some(i);
                }
                pos = i + 1;
            }
            _ => {
                if depth == record_depth {
                    if let Some(s) = start.take() {
                        spans.push(s..i + 1);
                    }
                }
                depth = depth.checked_sub(1).ok_or("unbalanced braces")?;
                pos = i + 1;
            }
        }
    }
    if depth != 0 {
        return Err("truncated file (unbalanced braces)".into());
    }
    Ok(spans)
}

/// Index of the closing quote of a JSON string whose content starts at `from`.
fn string_end(buf: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let k = from + memchr::memchr2(b'"', b'\\', buf.get(from..)?)?;
        if buf[k] == b'\\' {
            from = k + 2;
        } else {
            return Some(k);
        }
    }
}

/// The `eventName` of a record without parsing it: the first `"eventName"` key's string
/// value. `None` when it cannot be found cheaply (the caller then parses the record).
pub fn peek_event_name(record: &[u8]) -> Option<&str> {
    let k = memchr::memmem::find(record, b"\"eventName\"")?;
    let mut i = k + 11;
    while record.get(i)?.is_ascii_whitespace() {
        i += 1;
    }
    if record[i] != b':' {
        return None;
    }
    i += 1;
    while record.get(i)?.is_ascii_whitespace() {
        i += 1;
    }
    if record[i] != b'"' {
        return None;
    }
    let end = string_end(record, i + 1)?;
    std::str::from_utf8(&record[i + 1..end]).ok()
}

/// Does the record say `"readOnly": true` (either spelling)? Cheap check before parsing.
pub fn peek_read_only(record: &[u8]) -> bool {
    let Some(k) = memchr::memmem::find(record, b"\"readOnly\"") else { return false };
    let rest = &record[k + 10..];
    let rest = rest.iter().position(|b| !b.is_ascii_whitespace() && *b != b':').map(|p| &rest[p..]).unwrap_or(&[]);
    rest.starts_with(b"true") || rest.starts_with(b"\"true\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_records_only() {
        let file = br#"{"Records":[{"a":"}{\"","b":{"c":1}},{"eventName":"X"}],"other":{"x":{}}}"#;
        let spans = record_spans(file).unwrap();
        let texts: Vec<&str> = spans.iter().map(|s| std::str::from_utf8(&file[s.clone()]).unwrap()).collect();
        assert_eq!(texts, vec![r#"{"a":"}{\"","b":{"c":1}}"#, r#"{"eventName":"X"}"#]);
    }

    #[test]
    fn spans_pretty_and_bare_array() {
        let pretty = b"{\n  \"Records\" : [\n    { \"eventName\" : \"A\" },\n    {\"eventName\":\"B\"}\n  ]\n}\n";
        assert_eq!(record_spans(pretty).unwrap().len(), 2);
        let bare = br#"[{"eventName":"A"},{"eventName":"B"},{"eventName":"C"}]"#;
        assert_eq!(record_spans(bare).unwrap().len(), 3);
        assert!(record_spans(br#"{"Records":[{"a":1}"#).is_err());
        assert!(record_spans(b"hello").is_err());
    }

    #[test]
    fn peeks() {
        assert_eq!(peek_event_name(br#"{"x":1, "eventName" : "ModifyDBInstance","y":2}"#), Some("ModifyDBInstance"));
        assert_eq!(peek_event_name(br#"{"x":1}"#), None);
        assert!(peek_read_only(br#"{"readOnly":true}"#));
        assert!(peek_read_only(br#"{"readOnly" : "true"}"#));
        assert!(!peek_read_only(br#"{"readOnly":false}"#));
        assert!(!peek_read_only(br#"{}"#));
    }

    #[test]
    fn lenient_fields() {
        let r: Record = serde_json::from_str(
            r#"{"eventVersion":"1.11","eventID":"e1","eventName":"X","eventSource":"ec2.amazonaws.com",
                "eventTime":"2024-10-14T14:11:38Z","readOnly":"false","sessionCredentialFromConsole":"true",
                "resources":null,"someFutureField":{"a":[1,2]},"userIdentity":{"type":"IAMUser","extra":1}}"#,
        )
        .unwrap();
        assert_eq!(r.read_only, Some(false));
        assert_eq!(r.session_credential_from_console, Some(true));
        assert!(r.resources.is_empty());
        assert!(r.supported_version());
        assert_eq!(r.user_identity.kind.as_deref(), Some("IAMUser"));
    }
}
