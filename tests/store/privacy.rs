//! Privacy: each guild's choices and the record of erasures and expiry passes; the share an entry
//! was captured with.

use chrono::Duration;
use liaison::domain::entry::NewEntry;
use liaison::domain::privacy::{PrivacyAction, PrivacyActionKind, PrivacySettings, Share};

use crate::harness::Db;
use crate::{new, t, A, B};

crate::conformance!(
    privacy_settings_are_per_guild_and_replaced_whole,
    the_privacy_log_lists_newest_first_per_guild_or_all,
    an_entry_keeps_the_share_it_was_captured_with,
);

async fn privacy_settings_are_per_guild_and_replaced_whole(db: Db) {
    assert_eq!(db.store.privacy_settings(A).await.unwrap(), None);
    let mut mine = PrivacySettings { note_days: Some(90), excerpts: false, ..PrivacySettings::defaults(A) };
    db.store.save_privacy_settings(&mine, t(1, 9)).await.unwrap();
    assert_eq!(db.store.privacy_settings(A).await.unwrap(), Some(mine.clone()));
    assert_eq!(db.store.privacy_settings(B).await.unwrap(), None);
    mine = PrivacySettings { note_days: None, names: false, hide_small_counts: true, ..mine };
    db.store.save_privacy_settings(&mine, t(2, 9)).await.unwrap();
    assert_eq!(db.store.privacy_settings(A).await.unwrap(), Some(mine));
}

async fn the_privacy_log_lists_newest_first_per_guild_or_all(db: Db) {
    let action = |guild, hours, kind, entries| PrivacyAction {
        guild,
        at: t(1, 9) + Duration::hours(hours),
        by: "the bot".to_string(),
        kind,
        entries,
    };
    let first = action(A, 0, PrivacyActionKind::Expire, 3);
    let second = action(B, 1, PrivacyActionKind::EraseText, 1);
    let third = action(A, 2, PrivacyActionKind::DeleteAuthor, u64::MAX >> 1);
    for a in [&first, &second, &third] {
        db.store.record_privacy_action(a).await.unwrap();
    }
    assert_eq!(db.store.privacy_log(Some(A), 10).await.unwrap(), vec![third.clone(), first]);
    assert_eq!(db.store.privacy_log(None, 2).await.unwrap(), vec![third, second]);
}

async fn an_entry_keeps_the_share_it_was_captured_with(db: Db) {
    let private = db.add(NewEntry { share: Share::Private, ..new(A, "between us") }).await;
    let team = db.add(new(A, "for everyone")).await;
    assert_eq!(db.store.entry(A, private.id).await.unwrap().map(|e| e.share), Some(Share::Private));
    assert_eq!(
        db.store.entry(A, team.id).await.unwrap().map(|e| (e.share, e.expired_at)),
        Some((Share::Team, None))
    );
}
