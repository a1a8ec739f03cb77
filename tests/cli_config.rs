//! Where `liaison` finds its config, run as a person would run it from a directory of their own:
//! a named file, else `config/liaison.toml` there, else the built-in one; and `liaison config
//! init`, which writes the built-in one out to edit.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")
}

fn shipped_text() -> String {
    std::fs::read_to_string(shipped_config()).unwrap()
}

/// `liaison` in `dir`, with a database there, and no config or database from the environment of
/// whoever runs the tests.
fn liaison(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("liaison").unwrap();
    cmd.current_dir(dir)
        .env_remove("LIAISON_CONFIG")
        .env_remove("LIAISON_TIMEZONE")
        .env_remove("LIAISON_DEFAULT_GUILD")
        .env("DATABASE_URL", format!("sqlite://{}", dir.join("liaison.db").display()))
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn with_no_config_file_anywhere_the_built_in_one_is_used_and_check_config_says_so() {
    let dir = TempDir::new().unwrap();
    liaison(dir.path()).arg("check-config").assert().success().stdout(
        predicate::str::starts_with("config: the built-in defaults")
            .and(predicate::str::contains("timezone: Europe/London")),
    );
    // What failed for the new user: a capture from a directory without the source tree.
    liaison(dir.path())
        .args(["add", "-d", "History", "-n", "asked for EEBO training"])
        .assert()
        .success()
        .stdout(predicate::str::contains("History"));
    assert!(!dir.path().join("config").exists(), "nothing is written to find the config");
}

#[test]
fn a_config_in_the_working_directory_is_read_before_the_built_in_one() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    let text = shipped_text().replace("timezone = \"Europe/London\"", "timezone = \"America/New_York\"");
    std::fs::write(dir.path().join("config/liaison.toml"), text).unwrap();
    liaison(dir.path()).arg("check-config").assert().success().stdout(
        predicate::str::starts_with("config: config/liaison.toml is valid")
            .and(predicate::str::contains("timezone: America/New_York")),
    );
}

#[test]
fn a_named_config_that_is_missing_is_an_error_however_it_is_named() {
    let dir = TempDir::new().unwrap();
    let said = predicate::str::contains("cannot read the config file missing.toml")
        .and(predicate::str::contains("liaison config init missing.toml"));
    liaison(dir.path()).args(["--config", "missing.toml", "check-config"]).assert().code(2).stderr(said);
    let said = predicate::str::contains("cannot read the config file missing.toml");
    liaison(dir.path())
        .env("LIAISON_CONFIG", "missing.toml")
        .arg("check-config")
        .assert()
        .code(2)
        .stderr(said);
}

#[test]
fn config_init_writes_the_built_in_config_where_it_is_read_and_refuses_to_overwrite() {
    let dir = TempDir::new().unwrap();
    let written = dir.path().join("config/liaison.toml");
    liaison(dir.path())
        .args(["config", "init"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote the built-in config to config/liaison.toml"));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), shipped_text());
    liaison(dir.path())
        .arg("check-config")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("config: config/liaison.toml is valid"));

    // An edited copy is never replaced by accident.
    std::fs::write(&written, "# my edits\n").unwrap();
    liaison(dir.path()).args(["config", "init"]).assert().code(2).stderr(
        predicate::str::contains("config/liaison.toml already exists")
            .and(predicate::str::contains("--force")),
    );
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "# my edits\n");

    // --force replaces it, even though the file there does not load.
    liaison(dir.path()).args(["config", "init", "--force"]).assert().success();
    assert_eq!(std::fs::read_to_string(&written).unwrap(), shipped_text());
    assert!(!dir.path().join("config/liaison.toml.new").exists());
}

#[test]
fn config_init_writes_to_a_path_given_or_to_the_file_liaison_config_names() {
    let dir = TempDir::new().unwrap();
    liaison(dir.path()).args(["config", "init", "etc/mine.toml"]).assert().success().stdout(
        predicate::str::contains("wrote the built-in config to etc/mine.toml")
            .and(predicate::str::contains("--config etc/mine.toml")),
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("etc/mine.toml")).unwrap(), shipped_text());
    assert!(!dir.path().join("config").exists());

    liaison(dir.path()).env("LIAISON_CONFIG", "named.toml").args(["config", "init"]).assert().success();
    liaison(dir.path())
        .env("LIAISON_CONFIG", "named.toml")
        .arg("check-config")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("config: named.toml is valid"));
}
