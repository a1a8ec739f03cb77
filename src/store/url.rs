//! Database URLs in logs and messages: a PostgreSQL URL may carry a password, which must not.

/// The URL with any password (`user:password@` or `?password=`) replaced by `***`.
pub fn redacted(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => format!("{}?{}", redacted_credentials(base), redacted_query(query)),
        None => redacted_credentials(url),
    }
}

fn redacted_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn redacted_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    // The last '@' ends the credentials: a password may itself contain '@' (percent-encoded or not).
    let Some((credentials, host)) = authority.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_are_hidden_and_everything_else_kept() {
        assert_eq!(
            redacted("postgres://bot:s3cr@t@db:5432/liaison?x=1"),
            "postgres://bot:***@db:5432/liaison?x=1"
        );
        assert_eq!(redacted("postgres://bot@db/liaison"), "postgres://bot@db/liaison");
        assert_eq!(redacted("sqlite://liaison.db"), "sqlite://liaison.db");
        assert_eq!(redacted("sqlite://dir@x/liaison.db"), "sqlite://dir@x/liaison.db");
        assert_eq!(redacted("not a url"), "not a url");
        assert_eq!(
            redacted("postgres://db/l?user=bot&password=pw&sslmode=require"),
            "postgres://db/l?user=bot&password=***&sslmode=require"
        );
    }
}
