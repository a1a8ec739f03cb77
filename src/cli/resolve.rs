//! Departments and channels named on the command line, resolved once through the catalogues
//! before any service sees them. A name that resolves to nothing is the user's to fix.

use super::{CliError, CliResult};
use crate::domain::channel::Channel;
use crate::domain::department::Department;
use crate::domain::rules::Rules;

pub fn department<'r>(rules: &'r Rules, input: &str) -> CliResult<&'r Department> {
    rules.departments.resolve(input).map_err(|e| CliError::User(e.to_string()))
}

/// A blank option is no option.
pub fn optional_department(rules: &Rules, input: Option<&str>) -> CliResult<Option<Department>> {
    match input.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Ok(Some(department(rules, d)?.clone())),
        None => Ok(None),
    }
}

/// A blank option is no option.
pub fn optional_channel(rules: &Rules, input: Option<&str>) -> CliResult<Option<Channel>> {
    match input.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Ok(Some(rules.channels.resolve(c).map_err(|e| CliError::User(e.to_string()))?.clone())),
        None => Ok(None),
    }
}
