//! `/report period since until department format`: the report's files (entries CSV, charts,
//! Markdown summary), answered privately. Admins, and members with a reporter role, may run it.
//! Building a year's report can take longer than Discord's 3 seconds: the interaction is deferred
//! then (see `interaction::handle`) and the files go in the edit and its follow-ups.

use chrono::NaiveDate;
use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;

use super::department_option;
use super::partner::{partner_option, resolve};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::domain::department::Department;
use crate::domain::period::{Period, PERIOD_NAMES};
use crate::domain::rules::Rules;
use crate::message::{Attachment, Markup, Message, Reply};
use crate::service::report::{build, plan, Format, ReportRequest};
use crate::service::{ServiceError, ServiceResult};

pub const NAME: &str = "report";

pub fn definition() -> CreateCommand {
    let period = PERIOD_NAMES.into_iter().fold(
        CreateCommandOption::new(
            CommandOptionType::String,
            "period",
            "Which period (default: this academic year)",
        ),
        |option, p| option.add_string_choice(p, p),
    );
    let format = [("csv", "csv"), ("libinsight", "libinsight")].into_iter().fold(
        CreateCommandOption::new(CommandOptionType::String, "format", "The entries' columns (default: csv)"),
        |option, (name, value)| option.add_string_choice(name, value),
    );
    CreateCommand::new(NAME)
        .description("A report as files: the entries as CSV, charts, and a summary")
        .dm_permission(false)
        .add_option(period)
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "since", "First day, e.g. 2025-09-01")
                .max_length(100),
        )
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "until", "Last day, e.g. 2026-08-31")
                .max_length(100),
        )
        .add_option(department_option("Only this department"))
        .add_option(partner_option("partner", "Only entries about this partner"))
        .add_option(format)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    pub period: Period,
    pub department: Option<Department>,
    /// A partner's name as typed; resolved when it runs.
    pub partner: Option<String>,
    pub format: Format,
}

pub fn parse(options: &Options, rules: &Rules, today: NaiveDate) -> Result<ReportOptions, ServiceError> {
    let period = Period::from_request(
        options.string("period").as_deref(),
        options.string("since").as_deref(),
        options.string("until").as_deref(),
        today,
        Period::Year,
    )
    .map_err(ServiceError::invalid)?;
    let department = match options.string("department") {
        Some(d) => Some(rules.departments.resolve(&d).map_err(ServiceError::invalid)?.clone()),
        None => None,
    };
    let format = match options.string("format") {
        Some(f) => Format::parse(&f)?,
        None => Format::Csv,
    };
    Ok(ReportOptions { period, department, partner: options.string("partner"), format })
}

pub async fn handle(app: &App, caller: &Caller, options: ReportOptions) -> ServiceResult<Reply> {
    if !caller.is_reporter {
        return Err(ServiceError::Forbidden(
            "Only admins and members with a reporter role can run /report. Ask a server admin.".into(),
        ));
    }
    let rules = &app.config.rules;
    let partner = match &options.partner {
        Some(typed) => Some(resolve(app, caller, typed).await?),
        None => None,
    };
    let request = ReportRequest {
        partner,
        guild: caller.guild,
        period: options.period,
        department: options.department,
        format: options.format,
    };
    let store = app.store.as_ref();
    let plan = plan(store, rules, &request, app.now()).await?;
    let files = build(store, rules, &plan, &mut |_| {}).await?;
    let content = format!(
        "Your report: {}, {}{}.",
        // "fewer than 3 entries" where small counts are hidden; "1 entry" only where it is said.
        crate::domain::words::shown(plan.privacy.hide_small_counts, plan.total, "entry", "entries"),
        plan.scope.label(),
        [
            plan.department.as_ref().map(|d| d.name().to_string()),
            plan.partner.as_ref().map(|(p, _)| p.name.as_str().to_string())
        ]
        .into_iter()
        .flatten()
        .map(|name| format!(", {}", DiscordMarkup.text(&name)))
        .collect::<String>()
    );
    Ok(Reply::Message(Message {
        content,
        ephemeral: true,
        attachments: files.into_iter().map(|f| Attachment { name: f.name, bytes: f.bytes }).collect(),
        ..Message::default()
    }))
}
