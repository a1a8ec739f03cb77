//! `/partner add`: any member may add a partner. A name close to an existing partner's is offered
//! back first ("Did you mean …?") with an "Add anyway" button. The request waits server-side, as a
//! pending erasure does (in the saved-search table, under its own payload shape): its notes and
//! link may be far longer than a button's 100-character id, and must not be lost on the way.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{departments_in, escaped, kind_of};
use crate::discord::app::App;
use crate::discord::caller::Caller;
use crate::discord::custom_id::Action;
use crate::discord::markup::DiscordMarkup;
use crate::discord::options::Options;
use crate::discord::render::partners as view;
use crate::domain::department::{Department, DepartmentKey};
use crate::domain::ids::{GuildId, UserId};
use crate::domain::partner::{PartnerKind, PartnerLink, PartnerStatus};
use crate::domain::rules::Rules;
use crate::message::{Button, ButtonStyle, Markup, Message, Reply};
use crate::service::partners::{self, Added, PartnerInput};
use crate::service::{ServiceError, ServiceResult};

/// How long "Add anyway" works: the pending request is forgotten when pressed, and is not
/// honoured after this.
const ADD_ANYWAY_WITHIN: Duration = Duration::hours(1);

/// `/partner add`'s options, departments resolved; the owner is the caller's when left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddRequest {
    pub name: String,
    pub kind: PartnerKind,
    pub departments: Vec<Department>,
    pub owner: Option<UserId>,
    pub co_owner: Option<UserId>,
    pub notes: Option<String>,
    pub link: Option<String>,
}

pub fn parse(options: &Options, rules: &Rules) -> Result<AddRequest, ServiceError> {
    let kind = kind_of(options)?.ok_or_else(|| ServiceError::invalid("Choose the partner's kind."))?;
    let typed = [options.string("department"), options.string(super::ALSO_DEPARTMENT)];
    let departments = departments_in(&typed.into_iter().flatten().collect::<Vec<_>>().join(","), rules)?;
    Ok(AddRequest {
        name: options.string("name").unwrap_or_default(),
        kind,
        departments,
        owner: options.user("owner"),
        co_owner: options.user("co_owner"),
        notes: options.string("notes"),
        link: options.string("link"),
    })
}

impl AddRequest {
    fn input(self, caller: &Caller) -> PartnerInput {
        let owner = self.owner.unwrap_or(caller.user);
        let mut owners = vec![owner];
        owners.extend(self.co_owner.filter(|&c| c != owner));
        PartnerInput {
            kind: self.kind,
            name: self.name,
            departments: self.departments,
            owners,
            notes: self.notes.unwrap_or_default(),
            link: self.link,
            status: PartnerStatus::Active,
        }
    }
}

/// A `/partner add` waiting for "Add anyway", as kept in the database. Its own field names, so no
/// saved search or pending erasure reads as one.
#[derive(Debug, Serialize, Deserialize)]
struct PendingAdd {
    guild: GuildId,
    partner_add_by: UserId,
    kind: PartnerKind,
    name: String,
    departments: Vec<DepartmentKey>,
    owners: Vec<UserId>,
    notes: String,
    link: Option<String>,
}

pub async fn handle(app: &App, caller: &Caller, request: AddRequest) -> ServiceResult<Reply> {
    let input = request.input(caller);
    let store = app.store.as_ref();
    let rules = &app.config.rules;
    match partners::add(store, rules, caller.guild, caller.user, input.clone(), false, app.now())
        .await
        .map_err(escaped)?
    {
        Added::Added(partner) => Ok(Reply::Message(view::added(&partner, rules))),
        Added::Close(close) => {
            let pending = PendingAdd {
                guild: caller.guild,
                partner_add_by: caller.user,
                kind: input.kind,
                name: input.name.clone(),
                departments: input.departments.iter().map(|d| d.key().clone()).collect(),
                owners: input.owners.clone(),
                notes: input.notes.clone(),
                link: input.link.clone(),
            };
            let payload =
                serde_json::to_string(&pending).map_err(|e| ServiceError::Io(std::io::Error::other(e)))?;
            let id = store.save_search(caller.guild, caller.user, &payload, app.now()).await?;
            Ok(Reply::Message(did_you_mean(&input.name, &close, id)))
        }
    }
}

fn did_you_mean(name: &str, close: &[PartnerLink], pending: i64) -> Message {
    let names: Vec<String> =
        close.iter().map(|p| format!("**{}**", DiscordMarkup.text(p.name.as_str()))).collect();
    Message {
        content: format!(
            "Did you mean {}? Nothing was added. Use `/partner show` for one of them, or add \"{}\" anyway.",
            names.join(", "),
            DiscordMarkup.text(name)
        ),
        buttons: vec![vec![Button::new(
            Action::AddPartnerAnyway(pending).to_custom_id(),
            "Add anyway",
            ButtonStyle::Primary,
        )]],
        ephemeral: true,
        ..Message::default()
    }
}

/// "Add anyway": the request kept when the close names were offered, added now, by whoever made
/// it (the message is theirs alone, but an id can be typed).
pub async fn add_anyway(app: &App, caller: &Caller, pending: i64) -> ServiceResult<Reply> {
    let store = app.store.as_ref();
    let now = app.now();
    let kept = read_pending(store.saved_search(caller.guild, pending).await?, caller, now);
    let Some(kept) = kept else {
        return Err(ServiceError::invalid(
            "This request is no longer waiting (it is over an hour old, or was added already). Run /partner add again.",
        ));
    };
    let rules = &app.config.rules;
    let departments = kept.departments.iter().filter_map(|k| rules.departments.by_key(k)).cloned().collect();
    let input = PartnerInput {
        kind: kept.kind,
        name: kept.name,
        departments,
        owners: kept.owners,
        notes: kept.notes,
        link: kept.link,
        status: PartnerStatus::Active,
    };
    let added =
        partners::add(store, rules, caller.guild, caller.user, input, true, now).await.map_err(escaped)?;
    // Added: a second press finds nothing waiting, and the notes are not kept twice.
    store.forget_search(caller.guild, pending).await?;
    match added {
        Added::Added(partner) => Ok(Reply::Update(view::added(&partner, rules))),
        Added::Close(_) => {
            Err(ServiceError::invalid("The partner could not be added. Run /partner add again."))
        }
    }
}

fn read_pending(
    kept: Option<(String, DateTime<Utc>)>,
    caller: &Caller,
    now: DateTime<Utc>,
) -> Option<PendingAdd> {
    let (payload, saved_at) = kept?;
    if now - saved_at > ADD_ANYWAY_WITHIN {
        return None;
    }
    serde_json::from_str::<PendingAdd>(&payload)
        .ok()
        .filter(|p| p.guild == caller.guild && p.partner_add_by == caller.user)
}
