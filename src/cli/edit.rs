//! `liaison edit ID ...`: change any field of an entry, as `/entry edit` does and through the same
//! service function. Each flag changes its field; the others stay as they are.

use chrono::{DateTime, Utc};

use super::{output, resolve, CliError, CliResult, Context};
use crate::domain::ids::{EntryId, UserId};
use crate::domain::rules::Rules;
use crate::message::{Markup, TimeStyle};
use crate::service::dates;
use crate::service::edit::{self, EntryChange, FollowUpChange};
use crate::service::entries::Actor;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Entry id (as printed by add and search).
    id: EntryId,
    /// Move it to this department (name or alias). Given again, the others become its other
    /// departments; given once, its other departments stay.
    #[arg(long, short, value_name = "D")]
    department: Vec<String>,
    /// How it reached you (a channel key or name from the config).
    #[arg(long, short)]
    channel: Option<String>,
    /// When it happened: today, yesterday, monday, 3 days ago, 3 Nov, 2026-11-03 ...
    #[arg(long)]
    date: Option<String>,
    /// Its tags, separated by commas (or spaces), replacing the ones it has; "" for none but the
    /// note's #hashtags.
    #[arg(long, short)]
    tags: Option<String>,
    /// A new note (1 to 4000 characters; redacted as a new one is; #hashtags become tags).
    #[arg(long, short)]
    note: Option<String>,
    /// Who follows it up: a Discord user id or mention (<@id>).
    #[arg(long, value_name = "U", value_parser = user_id)]
    follow_up_owner: Option<UserId>,
    /// Follow it up by: tomorrow, friday, in 7 days, 3 Dec ...
    #[arg(long, value_name = "D")]
    follow_up_due: Option<String>,
    /// Remove its follow-up.
    #[arg(long, conflicts_with_all = ["follow_up_owner", "follow_up_due"])]
    no_follow_up: bool,
    /// Print the entry as it now is as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let rules = &ctx.config.rules;
    let now = Utc::now();
    let change = change(rules, &args, now)?;
    if change == EntryChange::default() {
        return Err(CliError::User(
            "nothing to change: give --department, --channel, --date, --tags, --note, --follow-up-owner, \
             --follow-up-due or --no-follow-up"
                .into(),
        ));
    }
    // The command line is run by whoever administers the install, so it acts as an admin.
    let actor = Actor { id: UserId(0), is_admin: true };
    let edited = edit::edit(ctx.store.as_ref(), rules, ctx.guild, args.id, actor, &change, now).await?;
    if args.json {
        output::print_json(&output::EntryView::new(&edited.entry, rules))
    } else {
        println!("{}", edit::describe(&edited, rules, &Plain, None));
        Ok(())
    }
}

/// The flags as a change, each resolved or read once, here.
fn change(rules: &Rules, args: &Args, now: DateTime<Utc>) -> CliResult<EntryChange> {
    let mut departments = Vec::new();
    for typed in &args.department {
        departments.push(resolve::department(rules, typed)?.clone());
    }
    let (department, also_departments) = match departments.split_first() {
        None => (None, None),
        Some((first, [])) => (Some(first.clone()), None),
        Some((first, others)) => (Some(first.clone()), Some(others.to_vec())),
    };
    let follow_up = if args.no_follow_up {
        FollowUpChange::Clear
    } else {
        let due = match &args.follow_up_due {
            Some(phrase) => Some(dates::due_date(rules, phrase, now)?),
            None => None,
        };
        match (args.follow_up_owner, due) {
            (None, None) => FollowUpChange::Keep,
            (owner, due) => FollowUpChange::Set { owner, due },
        }
    };
    Ok(EntryChange {
        note: args.note.clone(),
        tags: args.tags.clone(),
        also_departments,
        partners: None,
        department,
        channel: resolve::optional_channel(rules, args.channel.as_deref())?,
        occurred_at: match args.date.as_deref() {
            Some(phrase) => Some(dates::occurred_at(rules, Some(phrase), now)?),
            None => None,
        },
        follow_up,
    })
}

/// A Discord user as typed: the id, or a mention as Discord writes one (`<@id>`, `<@!id>`).
fn user_id(typed: &str) -> Result<UserId, String> {
    let t = typed.trim();
    let inner = t.strip_prefix("<@").and_then(|m| m.strip_suffix('>')).map(|m| m.trim_start_matches('!'));
    inner
        .unwrap_or(t)
        .parse::<u64>()
        .ok()
        .filter(|id| *id > 0)
        .map(UserId)
        .ok_or_else(|| format!("\"{t}\" is not a Discord user id or mention (<@id>)"))
}

/// Text for a terminal: as typed, users by id.
struct Plain;

impl Markup for Plain {
    fn text(&self, s: &str) -> String {
        s.to_string()
    }

    fn bold(&self, s: &str) -> String {
        s.to_string()
    }

    fn code(&self, s: &str) -> String {
        s.to_string()
    }

    fn time(&self, t: DateTime<Utc>, _style: TimeStyle) -> String {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    }

    fn channel(&self, id: u64) -> String {
        format!("channel {id}")
    }

    fn user(&self, id: u64) -> String {
        format!("user {id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_is_an_id_or_a_mention() {
        for typed in ["42", " <@42> ", "<@!42>"] {
            assert_eq!(user_id(typed), Ok(UserId(42)), "{typed}");
        }
        for typed in ["", "bob", "<@bob>", "0", "<#42>"] {
            assert!(user_id(typed).is_err(), "{typed}");
        }
    }
}
