//! `/stats period since until department`: the numbers for a report, as an embed.

use chrono::NaiveDate;
use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::department_option;
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::options::Options;
use crate::discord::render;
use crate::domain::department::Department;
use crate::domain::period::{Period, PERIOD_NAMES};
use crate::domain::rules::Rules;
use crate::message::Reply;
use crate::service::stats::stats;
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "stats";

pub fn definition() -> CreateCommand {
    let period = PERIOD_NAMES.into_iter().fold(
        CreateCommandOption::new(CommandOptionType::String, "period", "Which period (default: this term)"),
        |option, p| option.add_string_choice(p, p),
    );
    let date = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::String, name, description).max_length(100)
    };
    CreateCommand::new(NAME)
        .description("Counts by department, channel, formal or informal, and contributor")
        .dm_permission(false)
        .add_option(period)
        .add_option(date("since", "From this day instead of a period (3 Oct, 2026-10-03, last week...)"))
        .add_option(date("until", "To this day, included (default: today)"))
        .add_option(department_option("Only this department"))
}

/// Which period, and which department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRequest {
    pub period: Period,
    pub department: Option<Department>,
}

/// Date phrases are read on `today`, in the guild's timezone.
pub fn parse(options: &Options, rules: &Rules, today: NaiveDate) -> Result<StatsRequest, ServiceError> {
    let period = Period::from_request(
        options.string("period").as_deref(),
        options.string("since").as_deref(),
        options.string("until").as_deref(),
        today,
        Period::default_for(&rules.academic),
    )
    .map_err(ServiceError::invalid)?;
    let department = match options.string("department") {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    Ok(StatsRequest { period, department })
}

pub async fn handle(app: &App, caller: &Caller, request: StatsRequest) -> ServiceResult<Reply> {
    let rules = &app.config.rules;
    let department = request.department.as_ref();
    let s = stats(app.store.as_ref(), rules, caller.guild, &request.period, department, app.now()).await?;
    Ok(Reply::Message(render::stats(&s, caller.dates)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::commands::fixtures::{department, refusal, rules};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()
    }

    #[test]
    fn period_defaults_to_this_term_and_a_department_resolves() {
        let rules = rules();
        assert_eq!(
            parse(&Options::new(), &rules, today()).unwrap(),
            StatsRequest { period: Period::Term, department: None }
        );
        let options = Options::new().with("period", "last-year").with("department", "llb");
        assert_eq!(
            parse(&options, &rules, today()).unwrap(),
            StatsRequest { period: Period::LastYear, department: Some(department(&rules, "Law")) }
        );
        let since = Options::new().with("since", "1 Oct").with("until", "2026-10-31");
        let day = |d| NaiveDate::from_ymd_opt(2026, 10, d);
        assert_eq!(
            parse(&since, &rules, today()).unwrap().period,
            Period::Dates { since: day(1), until: day(31) }
        );
    }

    #[test]
    fn an_unknown_period_or_department_is_refused() {
        let rules = rules();
        assert_eq!(
            refusal(parse(&Options::new().with("period", "decade"), &rules, today())),
            "\"decade\" is not a period; use one of: week, month, term, semester, year, last-year, all, \
             or dates with since and until"
        );
        let text = refusal(parse(&Options::new().with("department", "Alchemy"), &rules, today()));
        assert!(text.starts_with("no department called \"Alchemy\""), "{text}");
        let both = Options::new().with("period", "year").with("since", "1 Oct");
        assert!(refusal(parse(&both, &rules, today())).contains("not both"));
    }
}
