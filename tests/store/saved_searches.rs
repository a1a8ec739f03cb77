//! Saved searches: kept as long as their paging buttons work, and no longer.

use chrono::Duration;
use liaison::service::search::KEEP_SAVED;

use crate::harness::Db;
use crate::{t, A, ADA, B};

crate::conformance!(
    a_saved_search_is_pruned_once_its_buttons_stop_working_and_not_before,
    a_saved_search_is_forgotten_at_once_in_its_own_guild_only,
);

async fn a_saved_search_is_pruned_once_its_buttons_stop_working_and_not_before(db: Db) {
    let store = &db.store;
    let at = t(1, 9);
    let old = store.save_search(A, ADA, "{\"old\":true}", at).await.unwrap();
    let younger = store.save_search(A, ADA, "{\"younger\":true}", at + Duration::minutes(1)).await.unwrap();

    // Exactly as old as the buttons work for: they still work, so a save keeps it.
    store.save_search(A, ADA, "{}", at + KEEP_SAVED).await.unwrap();
    let kept = store.saved_search(A, old).await.unwrap();
    assert_eq!(kept, Some(("{\"old\":true}".to_string(), at)));

    // A second older, its buttons say it expired, and the next save prunes it; not the younger.
    store.save_search(A, ADA, "{}", at + KEEP_SAVED + Duration::seconds(1)).await.unwrap();
    assert_eq!(store.saved_search(A, old).await.unwrap(), None);
    assert!(store.saved_search(A, younger).await.unwrap().is_some());
}

async fn a_saved_search_is_forgotten_at_once_in_its_own_guild_only(db: Db) {
    let store = &db.store;
    let mine = store.save_search(A, ADA, "{\"erasure\":1}", t(1, 9)).await.unwrap();
    let other = store.save_search(A, ADA, "{}", t(1, 9)).await.unwrap();
    assert!(!store.forget_search(B, mine).await.unwrap(), "another guild cannot forget it");
    assert!(store.saved_search(A, mine).await.unwrap().is_some());
    assert!(store.forget_search(A, mine).await.unwrap());
    assert_eq!(store.saved_search(A, mine).await.unwrap(), None);
    assert!(!store.forget_search(A, mine).await.unwrap());
    assert!(store.saved_search(A, other).await.unwrap().is_some());
}
