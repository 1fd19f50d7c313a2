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

    /// The first field every record has that this one lacks (or cannot be read): such a
    /// record cannot be placed in time or tied to an API, and is counted as unparseable
    /// rather than dropped silently.
    pub fn missing_field(&self) -> Option<&'static str> {
        if super::parse_time(&self.event_time).is_none() {
            Some("eventTime")
        } else if self.event_source.trim().is_empty() {
            Some("eventSource")
        } else if self.event_name.trim().is_empty() {
            Some("eventName")
        } else {
            None
        }
    }
}

/// The UTF-8 byte-order mark some tools write at the start of a JSON file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

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
/// parsed only when the caller wants it. Collects [`RecordSpans`]; an error anywhere fails.
#[cfg(test)]
pub fn record_spans(buf: &[u8]) -> Result<Vec<std::ops::Range<usize>>, String> {
    RecordSpans::new(buf)?.collect()
}

/// The records of a log file, one byte range at a time (a file of tiny records must not
/// become a vector of millions of ranges). After an error (a truncated file, unbalanced
/// braces) the iterator ends: the records before the damage have been yielded.
pub struct RecordSpans<'a> {
    buf: &'a [u8],
    /// Depth (in braces) at which records sit.
    record_depth: u32,
    /// Whether the current depth-1 key is "Records".
    in_records: bool,
    depth: u32,
    start: Option<usize>,
    pos: usize,
    done: bool,
}

impl<'a> RecordSpans<'a> {
    /// `Err` when the file does not start as a CloudTrail log (an object or an array).
    pub fn new(buf: &'a [u8]) -> Result<RecordSpans<'a>, String> {
        let first = buf.iter().position(|b| !b.is_ascii_whitespace()).ok_or("empty file")?;
        let (record_depth, in_records) = match buf[first] {
            b'{' => (2u32, false),
            b'[' => (1u32, true),
            _ => return Err("not a CloudTrail log file (expected {\"Records\": [...]})".into()),
        };
        Ok(RecordSpans { buf, record_depth, in_records, depth: 0, start: None, pos: first, done: false })
    }

    fn fail(&mut self, why: &str) -> Option<Result<std::ops::Range<usize>, String>> {
        self.done = true;
        Some(Err(why.to_string()))
    }
}

impl Iterator for RecordSpans<'_> {
    type Item = Result<std::ops::Range<usize>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let buf = self.buf;
        while let Some(off) = memchr::memchr3(b'"', b'{', b'}', &buf[self.pos..]) {
            let i = self.pos + off;
            match buf[i] {
                b'"' => {
                    let Some(end) = string_end(buf, i + 1) else { return self.fail("unterminated string") };
                    if self.depth == 1 && self.record_depth == 2 {
                        // A key of the top-level object if a colon follows.
                        let after = buf[end + 1..].iter().find(|b| !b.is_ascii_whitespace());
                        if after == Some(&b':') {
                            self.in_records = &buf[i + 1..end] == b"Records";
                        }
                    }
                    self.pos = end + 1;
                }
                b'{' => {
                    self.depth += 1;
                    if self.depth == self.record_depth && self.in_records {
                        self.start = Some(i);
                    }
                    self.pos = i + 1;
                }
                _ => {
                    let closes_record = self.depth == self.record_depth;
                    let Some(depth) = self.depth.checked_sub(1) else { return self.fail("unbalanced braces") };
                    self.depth = depth;
                    self.pos = i + 1;
                    if closes_record && let Some(s) = self.start.take() {
                        return Some(Ok(s..i + 1));
                    }
                }
            }
        }
        self.pos = buf.len();
        if self.depth != 0 {
            return self.fail("truncated file (unbalanced braces)");
        }
        self.done = true;
        None
    }
}

/// Index of the closing quote of a JSON string whose content starts at `from`.
pub(super) fn string_end(buf: &[u8], mut from: usize) -> Option<usize> {
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
