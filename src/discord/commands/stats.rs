//! `/stats period department`: the numbers for a report, as an embed.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::department_option;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::options::Options;
use crate::discord::render;
use crate::domain::department::Department;
use crate::domain::rules::Rules;
use crate::message::Reply;
use crate::service::stats::{stats, Period};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "stats";

pub fn definition() -> CreateCommand {
    let period = ["week", "month", "term", "year", "all"].into_iter().fold(
        CreateCommandOption::new(CommandOptionType::String, "period", "Which period (default: this term)"),
        |option, p| option.add_string_choice(p, p),
    );
    CreateCommand::new(NAME)
        .description("Counts by department, channel, formal or informal, and contributor")
        .dm_permission(false)
        .add_option(period)
        .add_option(department_option("Only this department"))
}

/// Which period, and which department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRequest {
    pub period: Period,
    pub department: Option<Department>,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<StatsRequest, ServiceError> {
    let period = Period::parse(options.string("period").as_deref().unwrap_or("term"))?;
    let department = match options.string("department") {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    Ok(StatsRequest { period, department })
}

pub async fn handle(app: &App, caller: &Caller, request: StatsRequest) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let department = request.department.as_ref();
    let s = stats(app.store.as_ref(), rules, caller.guild, request.period, department, app.now()).await?;
    Ok(Reply::Message(render::stats(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::{department, refusal, rules};

    #[test]
    fn period_defaults_to_this_term_and_a_department_resolves() {
        let rules = rules();
        assert_eq!(
            parse(&Options::new(), &rules).unwrap(),
            StatsRequest { period: Period::Term, department: None }
        );
        let options = Options::new().with("period", "all").with("department", "llb");
        assert_eq!(
            parse(&options, &rules).unwrap(),
            StatsRequest { period: Period::All, department: Some(department(&rules, "Law")) }
        );
    }

    #[test]
    fn an_unknown_period_or_department_is_refused() {
        let rules = rules();
        assert_eq!(
            refusal(parse(&Options::new().with("period", "decade"), &rules)),
            "\"decade\" is not a period; use one of: week, month, term, year, all"
        );
        let text = refusal(parse(&Options::new().with("department", "Alchemy"), &rules));
        assert!(text.starts_with("no department called \"Alchemy\""), "{text}");
    }
}
