//! Database URLs in logs and messages: a PostgreSQL URL may carry a password, which must not.
//!
//! The password is found as sqlx finds it, by parsing the URL (`user:password@` and a `password`
//! query parameter, percent-encoded or not). A password typed raw, with a `/`, `?`, `#` or `@` in
//! it, makes a URL that parses differently or not at all, and shows up in the error that says
//! so; the credentials are therefore taken to run to the last `@`, whatever a parser makes of
//! them. When in doubt this hides more than the password, never less.

use url::Url;

const HIDDEN: &str = "***";

/// The URL with any password (`user:password@` or `?password=`) replaced by `***`. SQLite URLs
/// (and anything that is not a URL) carry no credentials and are returned as they are.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    if scheme.eq_ignore_ascii_case("sqlite") {
        return url.to_string();
    }
    // The host cannot hold an '@', so the last one ends the credentials.
    let (credentials, location) = match rest.rsplit_once('@') {
        Some((credentials, location)) => (Some(without_password(credentials)), location),
        None => (None, rest),
    };
    let location = without_password_parameter(scheme, location);
    match credentials {
        Some(credentials) => format!("{scheme}://{credentials}@{location}"),
        None => format!("{scheme}://{location}"),
    }
}

/// `user:password` as `user:***`; a user alone as it is.
fn without_password(credentials: &str) -> String {
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{user}:{HIDDEN}"),
        None => credentials.to_string(),
    }
}

/// `host:port/database?query` with the value of every `password` parameter hidden. The query is
/// read as sqlx reads it (keys percent-decoded); if it cannot be, a query that mentions a
/// password at all is hidden whole.
fn without_password_parameter(scheme: &str, location: &str) -> String {
    let Some((before, query)) = location.split_once('?') else {
        return location.to_string();
    };
    let is_password = |key: &str| key.eq_ignore_ascii_case("password");
    let Ok(mut parsed) = Url::parse(&format!("{scheme}://{location}")) else {
        return if query.to_ascii_lowercase().contains("password") {
            format!("{before}?{HIDDEN}")
        } else {
            location.to_string()
        };
    };
    if !parsed.query_pairs().any(|(key, _)| is_password(&key)) {
        return location.to_string();
    }
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(key, value)| {
            let value = if is_password(&key) { HIDDEN.to_string() } else { value.into_owned() };
            (key.into_owned(), value)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    match parsed.query() {
        Some(query) => format!("{before}?{query}"),
        None => before.to_string(),
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
        assert_eq!(redacted("postgres://db/liaison"), "postgres://db/liaison");
        assert_eq!(redacted("sqlite://liaison.db"), "sqlite://liaison.db");
        assert_eq!(redacted("sqlite://dir@x/liaison.db"), "sqlite://dir@x/liaison.db");
        assert_eq!(redacted("not a url"), "not a url");
        assert_eq!(
            redacted("postgres://db/l?user=bot&password=pw&sslmode=require"),
            "postgres://db/l?user=bot&password=***&sslmode=require"
        );
    }

    /// Each password, raw and percent-encoded, in the credentials: the URL keeps user and host
    /// (or, raw, at least the user) and never shows the password.
    #[test]
    fn a_password_holding_url_delimiters_is_hidden_raw_or_encoded() {
        let passwords = [
            ("pa/ss", "pa%2Fss"),
            ("pa?ss", "pa%3Fss"),
            ("p@ss", "p%40ss"),
            ("p#ss", "p%23ss"),
            ("12/34", "12%2F34"),
            ("9?x=1@", "9%3Fx%3D1%40"),
            ("a:b/c?d@e#f", "a%3Ab%2Fc%3Fd%40e%23f"),
        ];
        for (raw, encoded) in passwords {
            for password in [raw, encoded] {
                let url = format!("postgres://bot:{password}@db.example:5432/liaison?sslmode=require");
                let shown = redacted(&url);
                assert_eq!(shown, "postgres://bot:***@db.example:5432/liaison?sslmode=require", "{url}");
                // The distinctive part of each password, whatever the encoding.
                for secret in [raw, encoded] {
                    assert!(!shown.contains(secret), "{url} shows {secret} in {shown}");
                }
            }
        }
    }

    #[test]
    fn a_password_parameter_is_hidden_however_it_is_written() {
        for (url, shown) in [
            ("postgres://db/l?password=pa/ss", "postgres://db/l?password=***"),
            ("postgres://db/l?PASSWORD=p%40ss&x=1", "postgres://db/l?PASSWORD=***&x=1"),
            ("postgres://db/l?pass%77ord=secret", "postgres://db/l?password=***"),
            (
                "postgres://db/l?sslmode=require&password=a%26b",
                "postgres://db/l?sslmode=require&password=***",
            ),
        ] {
            assert_eq!(redacted(url), shown, "{url}");
        }
        // Not parseable as a URL (a bad port): the query is hidden whole.
        assert_eq!(redacted("postgres://db:port/l?password=secret"), "postgres://db:port/l?***");
    }

    #[test]
    fn an_at_sign_outside_the_credentials_hides_more_never_less() {
        let shown = redacted("postgres://bot:pw@db/l?application_name=a@b");
        assert!(!shown.contains("pw"), "{shown}");
        assert_eq!(redacted("postgres://db/l?application_name=a@b"), "postgres://db/l?application_name=a@b");
    }
}
