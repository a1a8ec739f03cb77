//! What the fake records of each REST request, and the multipart/form-data parser.

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::Value;

/// The path prefix serenity puts before every route.
pub const API_PREFIX: &str = "/api/v10";

/// One REST request the fake received, with the status it answered.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Upper case: "GET", "POST", ...
    pub method: String,
    /// The full path as received, e.g. "/api/v10/channels/1/messages".
    pub path: String,
    /// The raw query string without '?', if any.
    pub query: Option<String>,
    /// Header names lower-cased; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<Value>,
    /// The body parsed as multipart/form-data, when it is.
    pub multipart: Option<MultipartBody>,
    /// The route the fake matched ("interaction_callback", "channel_messages", ...), or `None`
    /// for a route it does not know (answered 404).
    pub route: Option<&'static str>,
    /// The status the fake answered with.
    pub status: u16,
    pub received_at: Instant,
}

/// A multipart/form-data body (messages with files).
#[derive(Clone, Debug, Default)]
pub struct MultipartBody {
    /// The `payload_json` field, parsed.
    pub payload_json: Option<Value>,
    /// Every other part without a filename: (field name, text).
    pub fields: Vec<(String, String)>,
    /// Every part with a filename (`files[n]`).
    pub files: Vec<UploadedFile>,
}

/// A file part of a multipart body.
#[derive(Clone, Debug)]
pub struct UploadedFile {
    /// The form field name, e.g. "files[0]".
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl RecordedRequest {
    /// The path after "/api/v10" (e.g. "/channels/1/messages"), or the full path if it has no such prefix.
    pub fn api_path(&self) -> &str {
        self.path
            .strip_prefix(API_PREFIX)
            .filter(|p| p.is_empty() || p.starts_with('/'))
            .unwrap_or(&self.path)
    }

    /// Whether the method matches (case-insensitive) and the path starts with `path_prefix`,
    /// given either with "/api/v10" or without it ("/channels/").
    pub fn matches(&self, method: &str, path_prefix: &str) -> bool {
        self.method.eq_ignore_ascii_case(method)
            && (self.path.starts_with(path_prefix) || self.api_path().starts_with(path_prefix))
    }

    /// The JSON payload: the JSON body, or a multipart body's `payload_json`.
    pub fn payload(&self) -> Option<&Value> {
        self.json.as_ref().or_else(|| self.multipart.as_ref()?.payload_json.as_ref())
    }

    /// The uploaded files of a multipart body (empty otherwise).
    pub fn files(&self) -> &[UploadedFile] {
        self.multipart.as_ref().map_or(&[], |m| &m.files)
    }

    /// A header by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The path segments after "/api/v10".
    pub fn segments(&self) -> Vec<&str> {
        self.api_path().trim_start_matches('/').split('/').filter(|s| !s.is_empty()).collect()
    }
}

/// Parses a body as JSON or multipart according to its content type.
pub fn parse_body(content_type: Option<&str>, body: &[u8]) -> (Option<Value>, Option<MultipartBody>) {
    let content_type = content_type.unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        return (None, parse_multipart(content_type, body));
    }
    if body.is_empty() {
        return (None, None);
    }
    (serde_json::from_slice(body).ok(), None)
}

/// Parses multipart/form-data by its boundary. Returns `None` when the body is not well formed.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Option<MultipartBody> {
    let boundary = header_param(content_type, "boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut result = MultipartBody::default();

    let mut pos = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        if body[pos..].starts_with(b"--") {
            return Some(result); // closing delimiter
        }
        pos += crlf_len(&body[pos..]);
        let next = find(body, &delimiter, pos)?;
        // The part ends with CRLF before the next delimiter.
        let part_end = if next >= 2 && &body[next - 2..next] == b"\r\n" { next - 2 } else { next };
        add_part(&mut result, &body[pos..part_end])?;
        pos = next + delimiter.len();
    }
}

fn add_part(result: &mut MultipartBody, part: &[u8]) -> Option<()> {
    let split = find(part, b"\r\n\r\n", 0)?;
    let head = std::str::from_utf8(&part[..split]).ok()?;
    let content = &part[split + 4..];

    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':')?;
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                name = header_param(value, "name");
                filename = header_param(value, "filename");
            }
            "content-type" => content_type = Some(value.trim().to_string()),
            _ => {}
        }
    }
    let name = name?;

    if let Some(filename) = filename {
        result.files.push(UploadedFile {
            name,
            filename: Some(filename),
            content_type,
            bytes: content.to_vec(),
        });
    } else if name == "payload_json" {
        result.payload_json = serde_json::from_slice(content).ok();
    } else {
        result.fields.push((name, String::from_utf8_lossy(content).into_owned()));
    }
    Some(())
}

/// `key=value` or `key="value"` from a header value such as `form-data; name="files[0]"`.
fn header_param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|param| {
        let (k, v) = param.trim().split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_string())
    })
}

fn crlf_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(b"\r\n") {
        2
    } else {
        0
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}
