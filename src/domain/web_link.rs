//! Web addresses people give (a partner's link, an impact story's evidence): checked once, here,
//! so every place that takes one refuses the same things.

/// Why a typed link was refused; the message is what a person reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebLinkError {
    #[error("a link is at most {0} characters")]
    TooLong(usize),
    #[error("a link must be a web address starting with https:// or http://")]
    NotWeb,
}

/// A web address: http or https with a host, on one line, at most `max_chars` long. Returned as
/// given (already trimmed by the caller where it trims).
pub fn checked_web_link(link: &str, max_chars: usize) -> Result<String, WebLinkError> {
    if link.chars().count() > max_chars {
        return Err(WebLinkError::TooLong(max_chars));
    }
    let parsed = url::Url::parse(link)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()));
    if parsed.is_none() || link.chars().any(char::is_whitespace) {
        return Err(WebLinkError::NotWeb);
    }
    Ok(link.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_with_a_host_on_one_line_within_the_limit_pass() {
        assert_eq!(checked_web_link("https://example.ac.uk/x", 50).as_deref(), Ok("https://example.ac.uk/x"));
        assert_eq!(checked_web_link("http://a.example", 50).as_deref(), Ok("http://a.example"));
        for bad in
            ["ftp://a.example", "javascript:alert(1)", "example.ac.uk", "https://a b.example", "mailto:x@y.z"]
        {
            assert_eq!(checked_web_link(bad, 50), Err(WebLinkError::NotWeb), "{bad}");
        }
        assert_eq!(checked_web_link("https://example.ac.uk/long", 10), Err(WebLinkError::TooLong(10)));
    }
}
