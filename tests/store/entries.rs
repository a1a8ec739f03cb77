//! Entries: writing, reading, editing, importing, listing and counting them; digest settings.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use liaison::domain::entry::{Author, Entry, EntryEdit, FollowUp, NewEntry};
use liaison::domain::ids::{EntryId, UserId};
use liaison::domain::note::Note;
use liaison::domain::search::SearchQuery;
use liaison::domain::stats::CountBy;
use liaison::domain::tag::Tag;
use liaison::domain::time_range::TimeRange;
use liaison::store::{EntryFilter, FollowUpFilter, StoreError};

use crate::harness::Db;
use crate::{channel, department, entry_ids, filed_under, ids, new, q, t, tags, A, ADA, B, BEN};

crate::conformance!(
    an_entry_round_trips_every_field_including_the_top_bit_of_ids,
    times_are_kept_to_the_millisecond,
    ids_of_deleted_entries_are_not_handed_out_again,
    edit_replaces_the_text_and_keeps_search_in_sync,
    delete_removes_the_entry_from_search,
    import_keeps_ids_and_a_duplicate_writes_nothing,
    reserved_ids_are_never_handed_to_new_entries,
    entries_with_ids_reads_any_guilds_entries_by_id,
    guilds_never_see_each_others_entries,
    entries_after_pages_by_id_within_the_filter,
    entries_in_time_order_page_by_time_then_id_within_the_filter,
    a_week_groups_by_department_oldest_first,
    counts_are_largest_first_with_labels,
    last_heard_is_the_latest_occurrence_per_department,
    optimize_and_reopen_keep_everything,
    digest_settings_round_trip_and_only_enabled_guilds_are_listed,
    stopping_a_digest_never_undoes_a_change_made_meanwhile,
);

async fn an_entry_round_trips_every_field_including_the_top_bit_of_ids(db: Db) {
    let stored = db
        .add(NewEntry {
            author: Author { id: UserId(u64::MAX), name: "Zoë O'Neill".to_string() },
            channel: channel("coffee"),
            tags: tags(&["open-access", "eebo"]),
            occurred_at: Utc.timestamp_millis_opt(1_790_000_000_123).unwrap(),
            follow_up: Some(FollowUp::open(UserId(u64::MAX), NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())),
            source: Some("https://discord.com/channels/1/2/3".to_string()),
            redactions: 2,
            ..new(A, "Three PhD students asked for EEBO training")
        })
        .await;
    assert_eq!(stored.guild, A);
    assert_eq!(stored.author.id, UserId(u64::MAX));
    assert_eq!(stored.follow_up.as_ref().unwrap().owner, UserId(u64::MAX));
    assert_eq!(stored.occurred_at.timestamp_millis(), 1_790_000_000_123);
    assert_eq!(stored.tags, tags(&["open-access", "eebo"]));
    assert!(stored.informal);
    assert_eq!(stored.updated_at, None);
    let read = db.store.entry(A, stored.id).await.unwrap().unwrap();
    assert_eq!(read, stored);
}

async fn times_are_kept_to_the_millisecond(db: Db) {
    let precise = Utc.timestamp_nanos(1_790_000_000_123_456_789);
    let stored = db.add(NewEntry { occurred_at: precise, ..new(A, "note") }).await;
    assert_eq!(stored.occurred_at, Utc.timestamp_millis_opt(1_790_000_000_123).unwrap());
}

async fn ids_of_deleted_entries_are_not_handed_out_again(db: Db) {
    let first = db.add(new(A, "one")).await;
    let second = db.add(new(A, "two")).await;
    assert!(db.store.delete_entry(A, second.id).await.unwrap());
    let third = db.add(new(A, "three")).await;
    assert!(first.id < second.id && second.id < third.id);
}

async fn edit_replaces_the_text_and_keeps_search_in_sync(db: Db) {
    let e = db.add(NewEntry { tags: tags(&["loans"]), ..new(A, "Asked about interlibrary loans") }).await;
    let edit = EntryEdit::of_text(
        &e,
        Note::parse("Asked about thesis binding").unwrap(),
        tags(&["theses"]),
        1,
        t(3, 9),
    );
    let edited = db.store.edit_entry(A, e.id, &edit).await.unwrap().unwrap();
    assert_eq!(edited.note.as_str(), "Asked about thesis binding");
    assert_eq!(edited.tags, tags(&["theses"]));
    assert_eq!(edited.redactions, 1);
    assert_eq!(edited.updated_at, Some(t(3, 9)));
    assert!(db.search(A, &q("interlibrary")).await.hits.is_empty());
    assert!(db.search(A, &q("loans")).await.hits.is_empty());
    assert_eq!(ids(&db.search(A, &q("binding")).await), vec![e.id]);
    let by_tag = SearchQuery { tag: Some(Tag::parse("theses").unwrap()), ..q("") };
    assert_eq!(ids(&db.search(A, &by_tag).await), vec![e.id]);
    let old_tag = SearchQuery { tag: Some(Tag::parse("loans").unwrap()), ..q("asked") };
    assert!(db.search(A, &old_tag).await.hits.is_empty());
    assert!(db.store.edit_entry(A, EntryId(999), &edit).await.unwrap().is_none());
}

async fn delete_removes_the_entry_from_search(db: Db) {
    let e = db.add(new(A, "Reading list for the new module")).await;
    assert_eq!(ids(&db.search(A, &q("reading")).await), vec![e.id]);
    assert!(db.store.delete_entry(A, e.id).await.unwrap());
    assert!(!db.store.delete_entry(A, e.id).await.unwrap());
    assert!(db.store.entry(A, e.id).await.unwrap().is_none());
    assert!(db.search(A, &q("reading")).await.hits.is_empty());
    assert!(db.search(A, &q("")).await.hits.is_empty());
}

async fn import_keeps_ids_and_a_duplicate_writes_nothing(db: Db) {
    let existing = db.add(new(A, "already here")).await;
    let imported: Vec<Entry> = [100, 101]
        .into_iter()
        .map(|id| Entry {
            updated_at: Some(t(4, 8)),
            ..Entry::from_new(EntryId(id), new(B, "imported note"))
        })
        .collect();
    assert_eq!(db.store.import_entries(&imported).await.unwrap(), 2);
    assert_eq!(db.store.entry(B, EntryId(100)).await.unwrap().unwrap(), imported[0]);
    assert_eq!(ids(&db.search(B, &q("imported")).await), vec![EntryId(101), EntryId(100)]);

    let clash = vec![
        Entry::from_new(EntryId(200), new(B, "new one")),
        Entry::from_new(existing.id, new(B, "clashes")),
    ];
    match db.store.import_entries(&clash).await {
        Err(StoreError::DuplicateId(id)) => assert_eq!(id, existing.id),
        other => panic!("expected DuplicateId, got {other:?}"),
    }
    let twice = vec![Entry::from_new(EntryId(300), new(B, "a")), Entry::from_new(EntryId(300), new(B, "b"))];
    assert!(matches!(db.store.import_entries(&twice).await, Err(StoreError::DuplicateId(EntryId(300)))));
    let wanted = [EntryId(200), EntryId(300), existing.id, EntryId(100)];
    assert_eq!(db.store.existing_ids(&wanted).await.unwrap(), vec![existing.id, EntryId(100)]);
    assert!(db.search(B, &q("clashes")).await.hits.is_empty());
    // New entries continue after the imported ids.
    assert!(db.add(new(A, "after import")).await.id > EntryId(101));
}

async fn reserved_ids_are_never_handed_to_new_entries(db: Db) {
    // An import in batches reserves its ids first: a capture between two batches is numbered
    // above them all, and the later batch still goes in.
    let first = db.add(new(A, "before")).await;
    db.store.reserve_ids(EntryId(5_000)).await.unwrap();
    let between = db.add(new(A, "between batches")).await;
    assert!(between.id > EntryId(5_000), "{:?}", between.id);
    db.store.import_entries(&[Entry::from_new(EntryId(4_000), new(B, "later batch"))]).await.unwrap();
    // Never moved back: a smaller reservation leaves the numbering where it is.
    db.store.reserve_ids(EntryId(10)).await.unwrap();
    let after = db.add(new(A, "after")).await;
    assert!(after.id > between.id && first.id < EntryId(5_000), "{first:?} {between:?} {after:?}");
}

async fn entries_with_ids_reads_any_guilds_entries_by_id(db: Db) {
    use liaison::store::Stored;
    let a = db.add(new(A, "in guild A")).await;
    let b = db.add(new(B, "in guild B")).await;
    let broken = db.add(new(B, "broken later")).await;
    db.write_behind(&format!("UPDATE entries SET follow_up_owner = 1 WHERE id = {}", broken.id.0)).await;
    let found = db.store.entries_with_ids(&[broken.id, EntryId(9_999), b.id, a.id]).await.unwrap();
    assert_eq!(found, vec![Stored::Entry(a), Stored::Entry(b), Stored::Unreadable(broken.id)]);
    assert!(db.store.entries_with_ids(&[]).await.unwrap().is_empty());
}

async fn guilds_never_see_each_others_entries(db: Db) {
    let due = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let mut by_guild = Vec::new();
    for guild in [A, B] {
        let e = db
            .add(NewEntry {
                follow_up: Some(FollowUp::open(ADA, due)),
                tags: tags(&["loans"]),
                ..new(guild, "Same words in both guilds about loans")
            })
            .await;
        by_guild.push(e);
    }
    let (a, b) = (&by_guild[0], &by_guild[1]);
    for (guild, mine, theirs) in [(A, a, b), (B, b, a)] {
        assert_eq!(ids(&db.search(guild, &q("loans")).await), vec![mine.id]);
        assert_eq!(ids(&db.search(guild, &q("")).await), vec![mine.id]);
        let tagged = SearchQuery { tag: Some(Tag::parse("loans").unwrap()), author: Some(ADA), ..q("") };
        assert_eq!(ids(&db.search(guild, &tagged).await), vec![mine.id]);
        assert!(db.store.entry(guild, theirs.id).await.unwrap().is_none());
        let edit = EntryEdit::of_text(theirs, Note::parse("x").unwrap(), vec![], 0, t(5, 1));
        assert!(db.store.edit_entry(guild, theirs.id, &edit).await.unwrap().is_none());
        assert!(db.store.set_follow_up_done(guild, theirs.id, Some(t(5, 1))).await.unwrap().is_none());
        assert!(!db.store.delete_entry(guild, theirs.id).await.unwrap());
        let open = db.store.open_follow_ups(guild, &FollowUpFilter::default()).await.unwrap();
        assert_eq!(entry_ids(&open), vec![mine.id]);
        let after = db.store.entries_after(guild, &EntryFilter::default(), None, 10).await.unwrap();
        assert_eq!(entry_ids(&after), vec![mine.id]);
        assert_eq!(db.store.count_entries(guild, &EntryFilter::default()).await.unwrap(), 1);
        let week = db.store.entries_by_department(guild, TimeRange::new(t(1, 0), t(8, 0))).await.unwrap();
        assert_eq!(week.len(), 1);
        assert_eq!(entry_ids(&week[0].entries), vec![mine.id]);
        let counts = db.store.counts(guild, &EntryFilter::default(), CountBy::Department).await.unwrap();
        assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), 1);
        assert_eq!(db.store.last_heard(guild).await.unwrap().len(), 1);
    }
    // Nothing above changed the other guild's entry.
    assert_eq!(db.store.entry(B, b.id).await.unwrap().unwrap(), *b);
}

async fn entries_after_pages_by_id_within_the_filter(db: Db) {
    let mut made = Vec::new();
    for i in 0..6 {
        let dept = if i % 2 == 0 { "History" } else { "Physics" };
        made.push(
            db.add(NewEntry { occurred_at: t(1 + i, 9), department: department(dept), ..new(A, "x") }).await,
        );
    }
    let all = EntryFilter::default();
    let first = db.store.entries_after(A, &all, None, 4).await.unwrap();
    assert_eq!(entry_ids(&first), entry_ids(&made[..4]));
    let rest = db.store.entries_after(A, &all, Some(first[3].id), 4).await.unwrap();
    assert_eq!(entry_ids(&rest), entry_ids(&made[4..]));
    let history = EntryFilter {
        department: filed_under(&["History"]),
        occurred: Some(TimeRange::new(t(2, 0), t(6, 0))),
    };
    assert_eq!(
        entry_ids(&db.store.entries_after(A, &history, None, 10).await.unwrap()),
        vec![made[2].id, made[4].id]
    );
    assert_eq!(db.store.count_entries(A, &history).await.unwrap(), 2);
    assert_eq!(db.store.count_entries(A, &all).await.unwrap(), 6);
}

async fn entries_in_time_order_page_by_time_then_id_within_the_filter(db: Db) {
    use liaison::store::TimeCursor;
    // Days out of id order (a backdated entry), and three at one instant, which the id orders.
    let days = [5, 2, 9, 2, 2, 7, 1];
    let mut made = Vec::new();
    for (i, day) in days.into_iter().enumerate() {
        let dept = if i % 2 == 0 { "History" } else { "Physics" };
        made.push(
            db.add(NewEntry { occurred_at: t(day, 9), department: department(dept), ..new(A, "x") }).await,
        );
    }
    db.add(NewEntry { occurred_at: t(3, 9), ..new(B, "another guild's") }).await;
    let mut want = made.clone();
    want.sort_by_key(|e| (e.occurred_at, e.id));

    let all = EntryFilter::default();
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = db.store.entries_in_time_order(A, &all, after, 3).await.unwrap();
        assert!(page.len() <= 3);
        let Some(last) = page.last() else { break };
        after = Some(TimeCursor::of(last));
        paged.extend(page);
    }
    assert_eq!(entry_ids(&paged), entry_ids(&want));

    let history = EntryFilter {
        department: filed_under(&["History"]),
        occurred: Some(TimeRange::new(t(2, 0), t(8, 0))),
    };
    let first = db.store.entries_in_time_order(A, &history, None, 2).await.unwrap();
    let rest =
        db.store.entries_in_time_order(A, &history, first.last().map(TimeCursor::of), 2).await.unwrap();
    // History is every other entry: days 5, 9, 2, 1 by position; days 2 to 7 keep 2 and 5.
    assert_eq!(entry_ids(&first), vec![made[4].id, made[0].id]);
    assert!(rest.is_empty(), "{rest:?}");
}

async fn a_week_groups_by_department_oldest_first(db: Db) {
    let week = TimeRange::new(t(2, 0), t(9, 0));
    let plan = [(3, "Physics"), (2, "History"), (8, "History"), (9, "History"), (1, "Physics"), (5, "Art")];
    let mut made = Vec::new();
    for (day, dept) in plan {
        made.push(
            db.add(NewEntry { occurred_at: t(day, 0), department: department(dept), ..new(A, "x") }).await,
        );
    }
    let groups = db.store.entries_by_department(A, week).await.unwrap();
    let shape: Vec<(String, Vec<EntryId>)> =
        groups.iter().map(|g| (g.department.to_string(), entry_ids(&g.entries))).collect();
    assert_eq!(
        shape,
        vec![
            ("Art".to_string(), vec![made[5].id]),
            ("History".to_string(), vec![made[1].id, made[2].id]),
            ("Physics".to_string(), vec![made[0].id]),
        ]
    );
}

async fn counts_are_largest_first_with_labels(db: Db) {
    let max_author = Author { id: UserId(u64::MAX), name: "Old name".into() };
    let rows = [
        ("History", "desk", max_author.clone(), 1),
        ("History", "coffee", Author { id: UserId(u64::MAX), name: "New name".into() }, 2),
        ("Physics", "coffee", Author { id: BEN, name: "Ben".into() }, 3),
        ("Art", "email", max_author.clone(), 20),
    ];
    for (dept, key, author, day) in rows {
        db.add(NewEntry {
            department: department(dept),
            channel: channel(key),
            author,
            occurred_at: t(day, 0),
            ..new(A, "x")
        })
        .await;
    }
    let first_week = EntryFilter { occurred: Some(TimeRange::new(t(1, 0), t(8, 0))), ..Default::default() };
    let shape = |counts: Vec<liaison::domain::stats::Count>| {
        counts.into_iter().map(|c| (c.key, c.label, c.count)).collect::<Vec<_>>()
    };
    let s = |x: &str| x.to_string();
    let by = |by, f: EntryFilter| {
        let store = &db.store;
        async move { shape(store.counts(A, &f, by).await.unwrap()) }
    };
    assert_eq!(
        by(CountBy::Department, first_week.clone()).await,
        vec![(s("History"), s("History"), 2), (s("Physics"), s("Physics"), 1)]
    );
    assert_eq!(
        by(CountBy::Channel, EntryFilter::default()).await,
        vec![(s("coffee"), s("coffee"), 2), (s("desk"), s("desk"), 1), (s("email"), s("email"), 1)]
    );
    assert_eq!(
        by(CountBy::Formality, first_week.clone()).await,
        vec![(s("informal"), s("informal"), 2), (s("formal"), s("formal"), 1)]
    );
    assert_eq!(
        by(CountBy::Author, first_week.clone()).await,
        vec![(u64::MAX.to_string(), s("New name"), 2), (s("42"), s("Ben"), 1)]
    );
    let history = EntryFilter { department: filed_under(&["History"]), ..first_week };
    assert_eq!(
        by(CountBy::Channel, history).await,
        vec![(s("coffee"), s("coffee"), 1), (s("desk"), s("desk"), 1)]
    );
}

async fn last_heard_is_the_latest_occurrence_per_department(db: Db) {
    for (day, dept) in [(3, "Physics"), (9, "History"), (2, "History"), (5, "Art"), (1, "Physics")] {
        db.add(NewEntry { occurred_at: t(day, 0), department: department(dept), ..new(A, "x") }).await;
    }
    let heard: Vec<(String, DateTime<Utc>)> =
        db.store.last_heard(A).await.unwrap().into_iter().map(|l| (l.department.to_string(), l.at)).collect();
    assert_eq!(
        heard,
        vec![
            ("Art".to_string(), t(5, 0)),
            ("History".to_string(), t(9, 0)),
            ("Physics".to_string(), t(3, 0))
        ]
    );
    assert!(db.store.last_heard(B).await.unwrap().is_empty());
}

async fn optimize_and_reopen_keep_everything(db: Db) {
    let e = db.add(new(A, "Survives optimize")).await;
    db.store.optimize().await.unwrap();
    assert_eq!(ids(&db.search(A, &q("optimize")).await), vec![e.id]);
    db.store.close().await;
    let again = db.open_again(None).await;
    assert_eq!(again.entry(A, e.id).await.unwrap().unwrap(), e);
    again.close().await;
}

async fn digest_settings_round_trip_and_only_enabled_guilds_are_listed(db: Db) {
    use liaison::domain::digest_settings::DigestSettings;
    assert!(db.store.digest_settings(A).await.unwrap().is_none());
    let mut a = DigestSettings {
        guild: A,
        channel: u64::MAX,
        weekday: chrono::Weekday::Fri,
        time: chrono::NaiveTime::from_hms_opt(16, 45, 0).unwrap(),
        timezone: chrono_tz::America::New_York,
        enabled: true,
        post_empty_weeks: false,
        problem: None,
    };
    db.store.save_digest_settings(&a, t(1, 0)).await.unwrap();
    assert_eq!(db.store.digest_settings(A).await.unwrap(), Some(a.clone()));
    let b = DigestSettings { guild: B, enabled: false, ..a.clone() };
    db.store.save_digest_settings(&b, t(1, 0)).await.unwrap();
    assert_eq!(db.store.enabled_digests().await.unwrap(), vec![a.clone()]);
    a.channel = 5;
    a.weekday = chrono::Weekday::Mon;
    db.store.save_digest_settings(&a, t(2, 0)).await.unwrap();
    assert_eq!(db.store.digest_settings(A).await.unwrap(), Some(a));
}

async fn stopping_a_digest_never_undoes_a_change_made_meanwhile(db: Db) {
    use liaison::domain::digest_settings::DigestSettings;
    let read_before_the_post = DigestSettings {
        guild: A,
        channel: 7,
        weekday: chrono::Weekday::Mon,
        time: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        timezone: chrono_tz::Europe::London,
        enabled: true,
        post_empty_weeks: true,
        problem: None,
    };
    db.store.save_digest_settings(&read_before_the_post, t(1, 0)).await.unwrap();
    // While the post to channel 7 was failing, an admin moved the digest to channel 8 at 10:00.
    let changed = DigestSettings {
        channel: 8,
        time: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        ..read_before_the_post.clone()
    };
    db.store.save_digest_settings(&changed, t(1, 1)).await.unwrap();
    assert!(!db.store.stop_digest(A, 7, "channel 7 is gone", t(1, 2)).await.unwrap());
    assert_eq!(db.store.digest_settings(A).await.unwrap(), Some(changed.clone()));

    // Refused on the channel it still names, only `enabled` and `problem` change: a new time set
    // after the settings were read stays.
    let later = DigestSettings { time: chrono::NaiveTime::from_hms_opt(11, 30, 0).unwrap(), ..changed };
    db.store.save_digest_settings(&later, t(1, 3)).await.unwrap();
    assert!(db.store.stop_digest(A, 8, "channel 8 forbids the bot", t(1, 4)).await.unwrap());
    let stopped =
        DigestSettings { enabled: false, problem: Some("channel 8 forbids the bot".into()), ..later };
    assert_eq!(db.store.digest_settings(A).await.unwrap(), Some(stopped));
    // Once off, nothing more to stop.
    assert!(!db.store.stop_digest(A, 8, "again", t(1, 5)).await.unwrap());
    assert!(db.store.enabled_digests().await.unwrap().is_empty());
}
