//! A bot without Discord: the App on a real SQLite database in a temp dir, the shipped config, a
//! clock the test sets, and a poster that keeps what it is given. Handlers are called as the
//! router calls them, with callers made here.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use tempfile::TempDir;

use liaison::config::Config;
use liaison::discord::app::App;
use liaison::discord::caller::Caller;
use liaison::discord::commands::intel;
use liaison::discord::markup::DiscordMarkup;
use liaison::discord::options::Options;
use liaison::domain::entry::Entry;
use liaison::domain::event::Event;
use liaison::domain::ids::{EntryId, GuildId, UserId};
use liaison::domain::rules::Rules;
use liaison::message::{Markup, Message, Reply};
use liaison::service::clock::FixedClock;
use liaison::service::poster::{File, PostError, Poster};
use liaison::service::ServiceError;
use liaison::store;
use liaison::store::Store;

pub const GUILD: GuildId = GuildId(1);

pub struct Bench {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub posted: Arc<Posted>,
    _dir: TempDir,
}

impl Bench {
    pub async fn at(now: DateTime<Utc>) -> Bench {
        Bench::wrapping(now, |store| store).await
    }

    /// As [`Bench::at`], on the real store as `wrap` wraps it (to inject a fault).
    pub async fn wrapping(now: DateTime<Utc>, wrap: impl FnOnce(Arc<dyn Store>) -> Arc<dyn Store>) -> Bench {
        let dir = TempDir::new().expect("a temp dir");
        let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
        let store = wrap(store::connect(&url).await.expect("a fresh SQLite store"));
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml");
        let text = std::fs::read_to_string(&path).expect("the shipped config");
        // Parsed rather than loaded, so that LIAISON_* variables of whoever runs the tests do not
        // change the timezone under them.
        let config = Config::parse(&path, &text, None, None).expect("a valid config");
        let clock = Arc::new(FixedClock::at(now));
        let posted = Arc::new(Posted::default());
        let app = App::new(store, Arc::new(config), posted.clone()).with_clock(clock.clone());
        Bench { app, clock, posted, _dir: dir }
    }

    pub fn rules(&self) -> &Rules {
        &self.app.config.rules
    }

    pub async fn entry(&self, id: i64) -> Option<Entry> {
        self.app.store.entry(GUILD, EntryId(id)).await.expect("the store answers")
    }

    /// Runs `sql` on the database behind the store's back, as a hand edit or an older version
    /// could have written it.
    pub async fn write_behind(&self, sql: &str) {
        use sqlx::{Connection, Executor};
        let url = format!("sqlite://{}", self._dir.path().join("liaison.db").display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("connect");
        conn.execute(sql).await.expect("write behind the store");
    }

    /// `/intel` with these options, as `who`; the reply.
    pub async fn intel(&self, who: &Caller, options: Options) -> Result<Reply, ServiceError> {
        let request = intel::parse(&options, self.rules())?;
        intel::handle(&self.app, who, request).await
    }

    /// `/intel department note`, which must save.
    pub async fn note(&self, who: &Caller, department: &str, note: &str) {
        let options = Options::new().with("department", department).with("note", note);
        message(self.intel(who, options).await);
    }
}

/// 12:00 UTC (and London) on a day of November 2026. The 18th is a Wednesday.
pub fn november(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
}

pub fn days(n: i64) -> Duration {
    Duration::days(n)
}

fn caller(user: u64, name: &str, is_admin: bool) -> Caller {
    let dates = Default::default();
    Caller { guild: GUILD, user: UserId(user), name: name.into(), is_admin, is_reporter: is_admin, dates }
}

pub fn alice() -> Caller {
    caller(101, "Alice Liaison", false)
}

pub fn bob() -> Caller {
    caller(102, "Bob Enquiries", false)
}

pub fn admin() -> Caller {
    caller(103, "Ada Admin", true)
}

/// A new message: what a command answers with.
pub fn message(reply: Result<Reply, ServiceError>) -> Message {
    match reply {
        Ok(Reply::Message(m)) => m,
        other => panic!("expected a new message, got {other:?}"),
    }
}

/// The message a button was on, replaced.
pub fn update(reply: Result<Reply, ServiceError>) -> Message {
    match reply {
        Ok(Reply::Update(m)) => m,
        other => panic!("expected an update in place, got {other:?}"),
    }
}

/// What the person is told when they cannot do what they asked, or asked for something wrong.
pub fn refusal(reply: Result<Reply, ServiceError>) -> String {
    match reply {
        Err(e) if e.is_user_error() => e.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A message's text, embeds included, for `contains` checks.
pub fn text(m: &Message) -> String {
    let mut out = m.content.clone();
    for e in &m.embeds {
        out.push_str(&format!("\n{}\n{}", e.title, e.description));
        for f in &e.fields {
            out.push_str(&format!("\n{}: {}", f.name, f.value));
        }
        out.push_str(&format!("\n{}", e.footer));
    }
    out
}

/// (label, custom id, disabled) of every button, row by row.
pub fn buttons(m: &Message) -> Vec<(String, String, bool)> {
    m.buttons.iter().flatten().map(|b| (b.label.clone(), b.custom_id.clone(), b.disabled)).collect()
}

/// The entries a page of results or a list of follow-ups shows, by the `#id` its fields start with.
pub fn listed(m: &Message) -> Vec<i64> {
    m.embeds
        .iter()
        .flat_map(|e| &e.fields)
        .filter_map(|f| f.name.strip_prefix('#')?.split(' ').next()?.parse().ok())
        .collect()
}

/// What the poster was given, in order: (channel, message, file name); and the hand-off DMs, to
/// (liaison, message), refused for the members whose DMs are closed.
#[derive(Default)]
pub struct Posted {
    posts: Mutex<Vec<(u64, Message, Option<String>)>>,
    dms: Mutex<Vec<(UserId, Message)>>,
    closed: Mutex<Vec<UserId>>,
}

impl Posted {
    pub fn count(&self) -> usize {
        self.posts.lock().expect("not poisoned").len()
    }

    /// Every message posted so far, in order.
    pub fn messages(&self) -> Vec<Message> {
        self.posts.lock().expect("not poisoned").iter().map(|(_, m, _)| m.clone()).collect()
    }

    /// Every hand-off DM sent so far, in order.
    pub fn dms(&self) -> Vec<(UserId, Message)> {
        self.dms.lock().expect("not poisoned").clone()
    }

    /// From now on Discord refuses DMs to `user`, as it does when their DMs are closed.
    pub fn close_dms(&self, user: UserId) {
        self.closed.lock().expect("not poisoned").push(user);
    }
}

#[async_trait]
impl Poster for Posted {
    async fn post(&self, channel: u64, message: Message, file: Option<File>) -> Result<u64, PostError> {
        let mut posted = self.posts.lock().expect("not poisoned");
        posted.push((channel, message, file.map(|f| f.name)));
        Ok(9000 + posted.len() as u64)
    }

    async fn remind(
        &self,
        _entry: &Entry,
        _department: &str,
        _dates: liaison::domain::date_style::DateStyle,
    ) -> Result<u64, PostError> {
        Err(PostError { message: "no reminders on this bench".into(), permanent: true })
    }

    /// The DM as the bot renders it, kept rather than sent.
    async fn hand_off(&self, liaison: UserId, entry: &Entry, department: &str) -> Result<u64, PostError> {
        if self.closed.lock().expect("not poisoned").contains(&liaison) {
            return Err(PostError { message: "Cannot send messages to this user".into(), permanent: true });
        }
        let mut dms = self.dms.lock().expect("not poisoned");
        dms.push((liaison, liaison::discord::commands::hand_offs::message(entry, department)));
        Ok(8000 + dms.len() as u64)
    }

    /// The post-event DM as the bot renders it, kept rather than sent.
    async fn event_prompt(
        &self,
        organiser: UserId,
        event: &Event,
        dates: liaison::domain::date_style::DateStyle,
    ) -> Result<u64, PostError> {
        if self.closed.lock().expect("not poisoned").contains(&organiser) {
            return Err(PostError { message: "Cannot send messages to this user".into(), permanent: true });
        }
        let mut dms = self.dms.lock().expect("not poisoned");
        dms.push((organiser, liaison::discord::commands::event::prompt::message(event, dates)));
        Ok(8000 + dms.len() as u64)
    }

    /// The related notice DM as the bot renders it, kept rather than sent.
    async fn related_notice(
        &self,
        owner: UserId,
        heard: &liaison::service::related_notices::Heard,
    ) -> Result<u64, PostError> {
        if self.closed.lock().expect("not poisoned").contains(&owner) {
            return Err(PostError { message: "Cannot send messages to this user".into(), permanent: true });
        }
        let mut dms = self.dms.lock().expect("not poisoned");
        dms.push((owner, liaison::discord::render::related_notices::message(heard)));
        Ok(8000 + dms.len() as u64)
    }

    fn markup(&self) -> &dyn Markup {
        &DiscordMarkup
    }
}
