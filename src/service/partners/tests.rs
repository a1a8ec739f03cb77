//! The partner use cases against a real SQLite store in a temporary directory, at a fixed `now`.

use std::path::Path;
use std::sync::Arc;

use chrono::TimeZone;

use super::*;
use crate::config::Config;
use crate::domain::entry::{Author, FollowUp, NewEntry};
use crate::domain::note::Note;
use crate::domain::privacy::Share;
use crate::store::sqlite::SqliteStore;

const GUILD: GuildId = GuildId(7);
const ADA: UserId = UserId(42);
const BEN: UserId = UserId(43);
const CAROL: UserId = UserId(44);

fn rules() -> Rules {
    let text = include_str!("../../../config/liaison.toml");
    Config::parse(Path::new("config/liaison.toml"), text, None, None).expect("the shipped config").rules
}

/// Wednesday 18 November 2026, 15:30 in London (UTC in November).
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 15, 30, 0).unwrap()
}

struct Fixture {
    store: Arc<dyn Store>,
    rules: Rules,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("partners.db").display());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open"));
    Fixture { store, rules: rules(), _dir: dir }
}

fn input(name: &str) -> PartnerInput {
    PartnerInput {
        kind: PartnerKind::Person,
        name: name.to_string(),
        departments: Vec::new(),
        owners: vec![ADA],
        notes: String::new(),
        link: None,
        status: PartnerStatus::Active,
    }
}

fn admin() -> Actor {
    Actor { user: CAROL, is_admin: true }
}

fn member(user: UserId) -> Actor {
    Actor { user, is_admin: false }
}

impl Fixture {
    async fn add(&self, input: PartnerInput, even_if_close: bool) -> ServiceResult<Added> {
        add(self.store.as_ref(), &self.rules, GUILD, ADA, input, even_if_close, now()).await
    }

    async fn added(&self, input: PartnerInput) -> Partner {
        match self.add(input, true).await.expect("added") {
            Added::Added(p) => p,
            Added::Close(close) => panic!("offered {close:?}"),
        }
    }

    async fn entry(&self, partner: &Partner, occurred_at: DateTime<Utc>, share: Share) -> Entry {
        self.entry_with(partner, occurred_at, share, None).await
    }

    async fn entry_with(
        &self,
        partner: &Partner,
        occurred_at: DateTime<Utc>,
        share: Share,
        follow_up: Option<FollowUp>,
    ) -> Entry {
        let entry = NewEntry {
            also_departments: Vec::new(),
            partners: vec![partner.link()],
            guild: GUILD,
            author: Author { id: BEN, name: "Ben".into() },
            department: self.rules.departments.resolve("History").unwrap().clone(),
            channel: self.rules.channels.resolve("coffee").unwrap().clone(),
            note: Note::parse("talked about EEBO").unwrap(),
            tags: Vec::new(),
            occurred_at,
            created_at: occurred_at,
            follow_up,
            source: None,
            redactions: 0,
            share,
        };
        self.store.insert_entry(&entry).await.expect("insert entry")
    }
}

fn entry_ids(entries: &[Entry]) -> Vec<EntryId> {
    entries.iter().map(|e| e.id).collect()
}

fn refusal<T: std::fmt::Debug>(result: ServiceResult<T>) -> String {
    match result {
        Err(ServiceError::Invalid(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn forbidden<T: std::fmt::Debug>(result: ServiceResult<T>) -> String {
    match result {
        Err(ServiceError::Forbidden(message)) => message,
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn adding_checks_redacts_and_dedupes_the_profile() {
    let f = fixture().await;
    let history = f.rules.departments.resolve("History").unwrap().clone();
    let partner = f
        .added(PartnerInput {
            name: "  Dr  A. Field ".into(),
            departments: vec![history.clone(), history.clone()],
            owners: vec![BEN, ADA, BEN],
            notes: " They want EEBO training; write to a.field@example.ac.uk ".into(),
            link: Some(" https://example.ac.uk/field ".into()),
            ..input("")
        })
        .await;
    let p = &partner.profile;
    assert_eq!(p.name.as_str(), "Dr A. Field");
    assert_eq!(p.departments, vec![history.key().clone()]);
    assert_eq!(p.owners, vec![BEN, ADA]);
    assert_eq!(p.notes, "They want EEBO training; write to [email]");
    assert_eq!(p.link.as_deref(), Some("https://example.ac.uk/field"));
    assert_eq!((partner.created_by, partner.created_at), (ADA, now()));
    assert_eq!(f.store.partner(GUILD, partner.id).await.unwrap(), Some(partner.clone()));

    assert!(refusal(f.add(input(" -- "), false).await).contains("needs a name"));
    assert!(refusal(
        f.add(PartnerInput { link: Some("javascript:alert(1)".into()), ..input("X") }, false).await
    )
    .contains("web address"));
    assert!(refusal(
        f.add(PartnerInput { link: Some("https://a b.example".into()), ..input("X") }, false).await
    )
    .contains("web address"));
    let too_many = (0..=MAX_OWNERS as u64).map(UserId).collect();
    assert!(refusal(f.add(PartnerInput { owners: too_many, ..input("X") }, false).await).contains("owners"));
    let long = "n".repeat(MAX_NOTES_CHARS + 1);
    assert!(refusal(f.add(PartnerInput { notes: long, ..input("X") }, false).await).contains("at most"));
    // No link and no notes are fine.
    let plain = f.added(PartnerInput { link: Some("  ".into()), ..input("Study Skills") }).await;
    assert_eq!((plain.profile.link, plain.profile.notes), (None, String::new()));
}

#[tokio::test]
async fn a_taken_name_is_refused_and_a_close_one_offered_first() {
    let f = fixture().await;
    let field = f.added(input("Dr A. Field")).await;
    f.added(input("Study Skills")).await;
    let taken = refusal(f.add(input("DR A FIELD"), true).await);
    assert!(taken.contains("already a partner called \"Dr A. Field\""), "{taken}");
    match f.add(input("Dr A Feild"), false).await.unwrap() {
        Added::Close(close) => assert_eq!(close, vec![field.link()]),
        other => panic!("expected the close name, got {other:?}"),
    }
    // Nothing was added; asked again anyway, it is.
    assert_eq!(f.store.partner_names(GUILD).await.unwrap().len(), 2);
    assert!(matches!(f.add(input("Dr A Feild"), true).await.unwrap(), Added::Added(_)));
    // A name nothing resembles is added straight away.
    assert!(matches!(f.add(input("Publisher X"), false).await.unwrap(), Added::Added(_)));
}

#[tokio::test]
async fn names_resolve_by_key_or_suggest_the_closest() {
    let f = fixture().await;
    let field = f.added(input("Dr A. Field")).await;
    let muller = f.added(input("Müller Lab")).await;
    let store = f.store.as_ref();
    assert_eq!(resolve(store, GUILD, "dr a field", "/partner add").await.unwrap(), field.link());
    assert_eq!(resolve(store, GUILD, "MULLER-LAB", "/partner add").await.unwrap(), muller.link());
    let unknown = refusal(resolve(store, GUILD, "Dr Feild", "/partner add").await);
    assert!(unknown.starts_with("no partner called \"Dr Feild\"; the closest are: Dr A. Field"), "{unknown}");
    assert!(refusal(resolve(store, GUILD, "  ", "/partner add").await).contains("name a partner"));
    assert!(refusal(resolve(store, GuildId(8), "Dr A. Field", "/partner add").await).contains("/partner add"));

    assert_eq!(autocomplete(store, GUILD, "fie", 25).await.unwrap(), vec!["Dr A. Field"]);
    assert_eq!(autocomplete(store, GUILD, "muler", 25).await.unwrap(), vec!["Müller Lab"]);
    assert_eq!(autocomplete(store, GUILD, "", 25).await.unwrap(), vec!["Dr A. Field", "Müller Lab"]);
    assert_eq!(autocomplete(store, GUILD, "", 1).await.unwrap().len(), 1);
    assert!(autocomplete(store, GuildId(8), "fie", 25).await.unwrap().is_empty());
    assert_eq!(get(store, GUILD, field.id).await.unwrap(), field);
    assert!(refusal(get(store, GuildId(8), field.id).await).contains("no such partner"));
}

#[tokio::test]
async fn owners_and_admins_edit_and_only_admins_merge() {
    let f = fixture().await;
    let store = f.store.as_ref();
    let field = f.added(PartnerInput { owners: vec![ADA, BEN], ..input("Dr A. Field") }).await;
    let jones = f.added(input("Dr B. Jones")).await;
    let later = now() + chrono::Duration::hours(1);
    let edit_as = |actor: Actor, name: &str| {
        let input = PartnerInput { notes: format!("edited by {}", actor.user.0), ..input(name) };
        edit(store, &f.rules, GUILD, field.id, actor, input, later)
    };
    let refused = forbidden(edit_as(member(CAROL), "Dr A. Field").await);
    assert!(refused.contains("owners of \"Dr A. Field\" or an admin"), "{refused}");
    let by_co_owner = edit_as(member(BEN), "Dr A. Field").await.unwrap();
    assert_eq!((by_co_owner.profile.notes.as_str(), by_co_owner.updated_at), ("edited by 43", Some(later)));
    let by_admin = edit_as(admin(), "Professor A. Field").await.unwrap();
    assert_eq!(by_admin.profile.name.as_str(), "Professor A. Field");
    assert!(refusal(edit_as(member(ADA), "dr b jones").await)
        .contains("already a partner called \"Dr B. Jones\""));
    let missing = edit(store, &f.rules, GUILD, PartnerId(999), admin(), input("X"), later).await;
    assert!(refusal(missing).contains("no such partner"));

    assert!(forbidden(merge(store, GUILD, member(ADA), jones.id, field.id, later).await).contains("admin"));
    assert!(refusal(merge(store, GUILD, admin(), field.id, field.id, later).await).contains("itself"));
    assert!(refusal(merge(store, GUILD, admin(), PartnerId(999), field.id, later).await).contains("no such"));
    let merged = merge(store, GUILD, admin(), jones.id, field.id, later).await.unwrap();
    assert_eq!(merged.id, field.id);
    assert_eq!(store.partner_names(GUILD).await.unwrap(), vec![merged.link()]);
}

#[tokio::test]
async fn a_listing_pages_and_finds_the_quiet() {
    let f = fixture().await;
    let store = f.store.as_ref();
    let history = f.rules.departments.resolve("History").unwrap().clone();
    let field = f.added(PartnerInput { departments: vec![history.clone()], ..input("Dr A. Field") }).await;
    for n in 0..11 {
        f.added(PartnerInput { owners: vec![BEN], ..input(&format!("Zeta partner {n:02}")) }).await;
    }
    f.entry(&field, now() - chrono::Duration::weeks(3), Share::Team).await;
    let later = now() + chrono::Duration::weeks(1);
    let first = list(store, &f.rules, GUILD, &ListRequest::default(), later).await.unwrap();
    assert_eq!((first.partners.len(), first.total, first.per_page), (10, 12, LIST_PER_PAGE));
    assert_eq!(first.partners[0].partner.id, field.id);
    let second = list(store, &f.rules, GUILD, &ListRequest { page: 1, ..ListRequest::default() }, later)
        .await
        .unwrap();
    assert_eq!((second.partners.len(), second.page), (2, 1));
    let by_department = ListRequest { department: Some(history), ..ListRequest::default() };
    assert_eq!(list(store, &f.rules, GUILD, &by_department, later).await.unwrap().total, 1);
    // Heard from three weeks before `now`: quiet for two weeks, not for five. The others were
    // created at `now`, a week before `later`: quiet for under a week only.
    let quiet = |weeks| ListRequest { quiet_weeks: Some(weeks), ..ListRequest::default() };
    let two = list(store, &f.rules, GUILD, &quiet(2), later).await.unwrap();
    assert_eq!(two.total, 1);
    assert_eq!(list(store, &f.rules, GUILD, &quiet(5), later).await.unwrap().total, 0);
    assert!(refusal(list(store, &f.rules, GUILD, &quiet(u32::MAX), later).await).contains("too many"));
    let owned = ListRequest { owner: Some(BEN), ..ListRequest::default() };
    assert_eq!(list(store, &f.rules, GUILD, &owned, later).await.unwrap().total, 11);
}

#[tokio::test]
async fn a_timeline_has_its_entries_follow_ups_and_twelve_months() {
    let f = fixture().await;
    let store = f.store.as_ref();
    let field = f.added(input("Dr A. Field")).await;
    let day = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
    f.entry(&field, day(2025, 11, 30), Share::Team).await; // before the twelve months
    f.entry(&field, day(2025, 12, 1), Share::Team).await;
    f.entry(&field, day(2026, 3, 10), Share::Team).await;
    f.entry(&field, day(2026, 3, 20), Share::Private).await;
    // Late on 31 October in London (BST ended a week before: UTC), so October's.
    f.entry(&field, Utc.with_ymd_and_hms(2026, 10, 31, 23, 30, 0).unwrap(), Share::Team).await;
    let newest = f.entry(&field, day(2026, 11, 17), Share::Team).await;
    let due = |d| Some(FollowUp::open(ADA, NaiveDate::from_ymd_opt(2026, 11, d).unwrap()));
    let later_due = f.entry_with(&field, day(2026, 11, 2), Share::Team, due(25)).await;
    let sooner_due = f.entry_with(&field, day(2026, 11, 1), Share::Private, due(20)).await;

    let shown = show(store, &f.rules, GUILD, field.id, None, 0, now()).await.unwrap();
    assert_eq!(shown.partner, field);
    assert_eq!(shown.total, 8);
    assert_eq!(entry_ids(&shown.follow_ups), vec![sooner_due.id, later_due.id]);
    assert_eq!((shown.entries.len(), shown.page, shown.per_page), (5, 0, TIMELINE_PER_PAGE));
    assert_eq!(shown.entries[0].id, newest.id);
    let last = shown.last_contact.expect("heard from");
    assert_eq!((last.entry, last.channel.as_str()), (newest.id, "coffee"));
    let month = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
    let expected: Vec<(NaiveDate, u64)> = vec![
        (month(2025, 12), 1),
        (month(2026, 1), 0),
        (month(2026, 2), 0),
        (month(2026, 3), 2),
        (month(2026, 4), 0),
        (month(2026, 5), 0),
        (month(2026, 6), 0),
        (month(2026, 7), 0),
        (month(2026, 8), 0),
        (month(2026, 9), 0),
        (month(2026, 10), 1),
        (month(2026, 11), 3),
    ];
    assert_eq!(shown.months, expected);
    // Another member does not see Ben's private entry, on the page or in the total.
    let carol = show(store, &f.rules, GUILD, field.id, Some(CAROL), 1, now()).await.unwrap();
    assert_eq!((carol.total, carol.entries.len(), carol.page), (6, 1, 1));
    assert_eq!(entry_ids(&carol.follow_ups), vec![later_due.id]);
    assert!(refusal(show(store, &f.rules, GuildId(8), field.id, None, 0, now()).await).contains("no such"));
}
