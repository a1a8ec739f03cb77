//! Whether the PostgreSQL half of the store conformance suite (`tests/store.rs`) is compiled to
//! run or marked ignored. With no server to run against it is ignored, so that a run without one
//! reports those tests as ignored instead of counting them as passed; with `TEST_DATABASE_URL`
//! set, or on CI (`CI=true`), it runs, and on CI without a server it fails.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rustc-check-cfg=cfg(liaison_postgres_tests)");
    let has_server = std::env::var("TEST_DATABASE_URL").is_ok_and(|url| !url.trim().is_empty());
    let on_ci = std::env::var("CI").is_ok_and(|ci| ci == "true");
    if has_server || on_ci {
        println!("cargo::rustc-cfg=liaison_postgres_tests");
    }
}
