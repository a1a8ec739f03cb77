//! Retention: past its period an entry's note, source and author name are cleared and everything
//! counted stays; search stops finding its words; open follow-ups are kept, done ones until done
//! plus the period; the pass is idempotent, and a dry run changes nothing. The service's pass
//! runs here too, on both backends: each guild with its own period, each pass recorded.

use chrono::{Duration, NaiveDate};
use liaison::config::Retention;
use liaison::domain::entry::{Entry, FollowUp, NewEntry};
use liaison::domain::privacy::{PrivacyActionKind, PrivacySettings, EXPIRED_AUTHOR, EXPIRED_TEXT};
use liaison::domain::stats::CountBy;
use liaison::domain::time_range::TimeRange;
use liaison::service::privacy::retention::{self, GuildPass};
use liaison::store::EntryFilter;

use crate::harness::Db;
use crate::{channel, department, ids, new, now, q, t, tags, A, ADA, B};

crate::conformance!(
    an_expired_entry_loses_its_text_and_keeps_what_is_counted,
    counts_and_the_digest_period_are_the_same_after_expiry,
    search_stops_finding_expired_words_and_never_finds_the_placeholder,
    open_follow_ups_are_kept_and_done_ones_until_done_plus_the_period,
    a_second_pass_clears_nothing_and_a_dry_run_changes_nothing,
    an_expired_entry_imported_again_is_stored_as_cleared,
    the_pass_visits_each_guild_with_its_own_period_and_records_it,
);

/// Entries recorded before this are past the period in these tests (`new` records on the 2nd).
fn cutoff() -> chrono::DateTime<chrono::Utc> {
    t(10, 0)
}

async fn reread(db: &Db, e: &Entry) -> Entry {
    db.store.entry(e.guild, e.id).await.unwrap().expect("still there")
}

fn old(guild: liaison::domain::ids::GuildId, note: &str) -> NewEntry {
    new(guild, note)
}

fn recent(guild: liaison::domain::ids::GuildId, note: &str) -> NewEntry {
    NewEntry { created_at: t(20, 10), occurred_at: t(20, 10), ..new(guild, note) }
}

async fn an_expired_entry_loses_its_text_and_keeps_what_is_counted(db: Db) {
    let full = db
        .add(NewEntry {
            department: department("Physics"),
            channel: channel("coffee"),
            tags: tags(&["open-access", "apc"]),
            source: Some("https://discord.com/channels/1/2/3".to_string()),
            redactions: 2,
            ..old(A, "Dr Smith wants the APC fund explained")
        })
        .await;
    let kept = db.add(recent(A, "recent enough to keep")).await;
    let other_guild = db.add(old(B, "another server, not this pass")).await;

    assert_eq!(db.store.expire_entries(A, cutoff(), now(), false, true).await.unwrap(), 1);

    let cleared = reread(&db, &full).await;
    assert_eq!(cleared.note.as_str(), EXPIRED_TEXT);
    assert_eq!(cleared.author.name, EXPIRED_AUTHOR);
    assert_eq!(cleared.source, None);
    assert_eq!(cleared.expired_at, Some(now()));
    // Everything else exactly as it was.
    let expected = Entry {
        note: cleared.note.clone(),
        author: liaison::domain::entry::Author { id: ADA, name: EXPIRED_AUTHOR.to_string() },
        source: None,
        expired_at: Some(now()),
        ..full.clone()
    };
    assert_eq!(cleared, expected);
    assert_eq!(cleared.redactions, 2);
    // The author keeps their entries: `entry_author` still knows whose it is.
    let author = db.store.entry_author(A, full.id).await.unwrap().expect("author");
    assert_eq!((author.id, author.name.as_str()), (ADA, EXPIRED_AUTHOR));

    assert_eq!(reread(&db, &kept).await, kept);
    assert_eq!(reread(&db, &other_guild).await, other_guild);
}

async fn counts_and_the_digest_period_are_the_same_after_expiry(db: Db) {
    let a = db.add(old(A, "first old note")).await;
    let b = db.add(NewEntry { department: department("Physics"), ..old(A, "second old note") }).await;
    db.add(recent(A, "a recent note")).await;
    let all = EntryFilter::default();
    let week = TimeRange::new(t(1, 0), t(8, 0));
    let kinds = [CountBy::Department, CountBy::Channel, CountBy::Formality, CountBy::Author];
    let numbers =
        |c: Vec<liaison::domain::stats::Count>| c.into_iter().map(|c| (c.key, c.count)).collect::<Vec<_>>();
    let mut before = Vec::new();
    for by in kinds {
        before.push(numbers(db.store.counts(A, &all, by).await.unwrap()));
    }
    let total = db.store.count_entries(A, &all).await.unwrap();
    let digest_week = db.store.entries_by_department(A, week).await.unwrap();
    assert_eq!(digest_week.iter().map(|d| d.entries.len()).sum::<usize>(), 2);

    assert_eq!(db.store.expire_entries(A, cutoff(), now(), false, true).await.unwrap(), 2);

    for (by, before) in kinds.into_iter().zip(before) {
        assert_eq!(numbers(db.store.counts(A, &all, by).await.unwrap()), before, "{by:?}");
    }
    // The author's label is the name on a recent entry, which retention has not cleared.
    let by_author = db.store.counts(A, &all, CountBy::Author).await.unwrap();
    assert_eq!(by_author[0].label, "Ada");
    assert_eq!(db.store.count_entries(A, &all).await.unwrap(), total);
    let digest_after = db.store.entries_by_department(A, week).await.unwrap();
    let week_ids: Vec<_> = digest_after.iter().flat_map(|d| d.entries.iter().map(|e| e.id)).collect();
    assert_eq!(week_ids.len(), 2);
    assert!(week_ids.contains(&a.id) && week_ids.contains(&b.id));
    assert!(digest_after.iter().flat_map(|d| &d.entries).all(|e| e.note.as_str() == EXPIRED_TEXT));
}

async fn search_stops_finding_expired_words_and_never_finds_the_placeholder(db: Db) {
    let gone = db.add(NewEntry { tags: tags(&["maps"]), ..old(A, "zeppelin archives digitised") }).await;
    let kept = db.add(recent(A, "zeppelin photographs requested")).await;
    assert_eq!(ids(&db.search(A, &q("zeppelin")).await), vec![kept.id, gone.id]);
    assert_eq!(ids(&db.search(A, &q("archives")).await), vec![gone.id]);

    db.store.expire_entries(A, cutoff(), now(), false, true).await.unwrap();

    assert_eq!(ids(&db.search(A, &q("zeppelin")).await), vec![kept.id]);
    assert_eq!(ids(&db.search(A, &q("archives")).await), vec![]);
    assert_eq!(ids(&db.search(A, &q("digitised")).await), vec![]);
    // The placeholder is shown, never indexed.
    assert_eq!(ids(&db.search(A, &q("retention")).await), vec![]);
    assert_eq!(ids(&db.search(A, &q("removed")).await), vec![]);
    // Its tags are kept, and still found; where it is listed, the placeholder stands for text.
    let by_tag = db.search(A, &q("maps")).await;
    assert_eq!(ids(&by_tag), vec![gone.id]);
    assert_eq!(by_tag.hits[0].snippet, EXPIRED_TEXT);
    let listed = db.search(A, &q("")).await;
    assert_eq!(ids(&listed), vec![kept.id, gone.id]);
    assert_eq!(listed.hits[1].snippet, EXPIRED_TEXT);
    assert_eq!(listed.hits[1].entry.note.as_str(), EXPIRED_TEXT);
}

async fn open_follow_ups_are_kept_and_done_ones_until_done_plus_the_period(db: Db) {
    let due = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
    let open = db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, due)), ..old(A, "still open") }).await;
    let done = db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, due)), ..old(A, "done lately") }).await;
    let done_long_ago =
        db.add(NewEntry { follow_up: Some(FollowUp::open(ADA, due)), ..old(A, "done long ago") }).await;
    db.store.set_follow_up_done(A, done.id, Some(t(15, 9))).await.unwrap().expect("done");
    db.store.set_follow_up_done(A, done_long_ago.id, Some(t(5, 9))).await.unwrap().expect("done");

    // Recorded before the cutoff, but done after it: kept, as is the open one.
    assert_eq!(db.store.expire_entries(A, cutoff(), now(), false, true).await.unwrap(), 1);
    assert!(reread(&db, &done_long_ago).await.expired_at.is_some());
    assert_eq!(reread(&db, &done).await.expired_at, None);
    assert_eq!(reread(&db, &open).await.expired_at, None);

    // The period since it was done has passed too: cleared, its follow-up state intact.
    assert_eq!(db.store.expire_entries(A, t(16, 0), now(), false, true).await.unwrap(), 1);
    let cleared = reread(&db, &done).await;
    assert_eq!(cleared.note.as_str(), EXPIRED_TEXT);
    assert_eq!(cleared.follow_up.map(|f| f.done_at), Some(Some(t(15, 9))));
    // Open follow-ups never expire, however old.
    assert_eq!(db.store.expire_entries(A, now(), now(), false, true).await.unwrap(), 0);
    assert_eq!(reread(&db, &open).await.note.as_str(), "still open");
}

async fn a_second_pass_clears_nothing_and_a_dry_run_changes_nothing(db: Db) {
    let e = db.add(old(A, "to be cleared once")).await;
    db.add(old(A, "and another")).await;

    assert_eq!(db.store.expire_entries(A, cutoff(), now(), true, true).await.unwrap(), 2);
    assert_eq!(reread(&db, &e).await, e);
    assert_eq!(ids(&db.search(A, &q("cleared")).await), vec![e.id]);
    assert_eq!(db.store.guilds_with_unexpired_before(now()).await.unwrap(), vec![A]);

    assert_eq!(db.store.expire_entries(A, cutoff(), now(), false, true).await.unwrap(), 2);
    let later = now() + Duration::days(1);
    assert_eq!(db.store.expire_entries(A, cutoff(), later, false, true).await.unwrap(), 0);
    assert_eq!(db.store.expire_entries(A, cutoff(), later, true, true).await.unwrap(), 0);
    // Still marked as cleared by the first pass.
    assert_eq!(reread(&db, &e).await.expired_at, Some(now()));
    assert_eq!(db.store.guilds_with_unexpired_before(now()).await.unwrap(), vec![]);
}

async fn an_expired_entry_imported_again_is_stored_as_cleared(db: Db) {
    let e = db
        .add(NewEntry { source: Some("https://example.org/x".into()), ..old(A, "walrus collection") })
        .await;
    db.store.expire_entries(A, cutoff(), now(), false, true).await.unwrap();
    let exported = reread(&db, &e).await;
    assert!(db.store.delete_entry(A, e.id).await.unwrap());

    // The placeholders come back in as they went out; they are stored cleared again.
    assert_eq!(db.store.import_entries(std::slice::from_ref(&exported)).await.unwrap(), 1);
    assert_eq!(reread(&db, &e).await, exported);
    assert_eq!(ids(&db.search(A, &q("retention policy")).await), vec![]);
    assert_eq!(ids(&db.search(A, &q("walrus")).await), vec![]);
    let by_author = db.store.counts(A, &EntryFilter::default(), CountBy::Author).await.unwrap();
    assert_eq!((by_author[0].label.as_str(), by_author[0].count), (EXPIRED_AUTHOR, 1));
}

async fn the_pass_visits_each_guild_with_its_own_period_and_records_it(db: Db) {
    // The config keeps text 20 days; guild A keeps it 10. `now` is the 30th.
    let retention = Retention { note_days: 20, guild_grace_days: 30 };
    let a_settings = PrivacySettings { note_days: Some(10), ..PrivacySettings::defaults(A) };
    db.store.save_privacy_settings(&a_settings, t(1, 0)).await.unwrap();
    let fifteen_days = |g, note: &str| NewEntry { created_at: t(15, 10), ..new(g, note) };
    let a_old = db.add(old(A, "a, a month old")).await;
    let a_mid = db.add(fifteen_days(A, "a, fifteen days old")).await;
    let b_old = db.add(old(B, "b, a month old")).await;
    let b_mid = db.add(fifteen_days(B, "b, fifteen days old")).await;

    let dry = retention::expire(db.store.as_ref(), &retention, now(), true, "tester").await.unwrap();
    // In the order the store lists guilds (by their id as stored: A's is negative).
    assert_eq!(
        dry,
        vec![GuildPass::Cleared { guild: A, entries: 2 }, GuildPass::Cleared { guild: B, entries: 1 }]
    );
    assert!(db.store.privacy_log(None, 10).await.unwrap().is_empty());
    assert_eq!(reread(&db, &a_old).await, a_old);

    let done = retention::expire(db.store.as_ref(), &retention, now(), false, "tester").await.unwrap();
    assert_eq!(done.len(), 2);
    assert!(done.contains(&GuildPass::Cleared { guild: A, entries: 2 }));
    assert!(done.contains(&GuildPass::Cleared { guild: B, entries: 1 }));
    assert!(reread(&db, &a_mid).await.expired_at.is_some());
    assert!(reread(&db, &b_old).await.expired_at.is_some());
    assert_eq!(reread(&db, &b_mid).await, b_mid);
    let log = db.store.privacy_log(Some(A), 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].kind, log[0].entries, log[0].by.as_str(), log[0].at),
        (PrivacyActionKind::Expire, 2, "tester", now())
    );
    assert_eq!(db.store.privacy_log(Some(B), 10).await.unwrap()[0].entries, 1);

    // Again: nothing to clear, nothing recorded.
    assert!(retention::expire(db.store.as_ref(), &retention, now(), false, "tester")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(db.store.privacy_log(None, 10).await.unwrap().len(), 2);
    // A config keeping text forever, and no period of the guild's own: B is skipped.
    let forever = Retention { note_days: 0, guild_grace_days: 30 };
    let later = now() + Duration::days(30);
    let passes = retention::expire(db.store.as_ref(), &forever, later, false, "tester").await.unwrap();
    assert_eq!(passes, vec![]);
    assert_eq!(reread(&db, &b_mid).await, b_mid);
}
