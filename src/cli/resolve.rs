//! Departments and channels named on the command line, resolved once through the catalogues
//! before any service sees them. A name that resolves to nothing is the user's to fix.

use super::{CliError, CliResult, Context};
use crate::domain::channel::Channel;
use crate::domain::department::Department;
use crate::domain::partner::PartnerLink;
use crate::domain::rules::Rules;
use crate::service::partners;

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

/// The partner a typed name names (case, accents and punctuation ignored), or the closest names;
/// the way to add one is said as the command line does it.
pub async fn partner(ctx: &Context, typed: &str) -> CliResult<PartnerLink> {
    let add_with = "`liaison partner add --name NAME --kind KIND`";
    Ok(partners::resolve(ctx.store.as_ref(), ctx.guild, typed, add_with).await?)
}
