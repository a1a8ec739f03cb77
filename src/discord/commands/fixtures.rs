//! What the commands' `parse` tests read with: the shipped config's catalogues, and a way to read
//! a refusal.

use std::fmt::Debug;
use std::path::Path;

use crate::config::Config;
use crate::domain::channel::Channel;
use crate::domain::department::Department;
use crate::domain::rules::Rules;
use crate::service::ServiceError;

pub fn rules() -> Rules {
    let text = include_str!("../../../config/liaison.toml");
    Config::parse(Path::new("config/liaison.toml"), text, None, None).expect("the shipped config").rules
}

pub fn department(rules: &Rules, name: &str) -> Department {
    rules.departments.resolve(name).expect("a configured department").clone()
}

pub fn channel(rules: &Rules, key: &str) -> Channel {
    rules.channels.resolve(key).expect("a configured channel").clone()
}

/// The text of a refusal the person can act on; fails the test on anything else.
pub fn refusal<T: Debug>(result: Result<T, ServiceError>) -> String {
    match result {
        Err(ServiceError::Invalid(message)) => message,
        Err(returned @ ServiceError::Returned { .. }) => returned.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
