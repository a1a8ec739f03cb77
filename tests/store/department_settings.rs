//! Department settings per guild: a server's own choice of whether a department is served, kept,
//! changed and forgotten, apart from every other server's; and the guild's first entry, which
//! "never heard from" counts from.

use liaison::domain::department::DepartmentKey;
use liaison::domain::entry::NewEntry;

use crate::harness::Db;
use crate::{new, t, A, B};

crate::conformance!(
    a_guilds_choice_of_served_is_kept_changed_and_forgotten,
    first_heard_is_the_guilds_earliest_occurrence,
);

fn key(name: &str) -> DepartmentKey {
    DepartmentKey::from_stored(name)
}

async fn a_guilds_choice_of_served_is_kept_changed_and_forgotten(db: Db) {
    let store = &db.store;
    assert!(store.departments_served(A).await.unwrap().is_empty(), "no choice made: the config's");
    store.set_department_served(A, &key("Physics"), Some(false), t(1, 9)).await.unwrap();
    store.set_department_served(A, &key("Art"), Some(true), t(1, 9)).await.unwrap();
    store.set_department_served(B, &key("Physics"), Some(true), t(1, 9)).await.unwrap();
    assert_eq!(
        store.departments_served(A).await.unwrap(),
        [(key("Art"), true), (key("Physics"), false)],
        "by key"
    );
    store.set_department_served(A, &key("Physics"), Some(true), t(2, 9)).await.unwrap();
    assert_eq!(store.departments_served(A).await.unwrap(), [(key("Art"), true), (key("Physics"), true)]);
    store.set_department_served(A, &key("Art"), None, t(3, 9)).await.unwrap();
    store.set_department_served(A, &key("History"), None, t(3, 9)).await.unwrap();
    assert_eq!(store.departments_served(A).await.unwrap(), [(key("Physics"), true)]);
    assert_eq!(store.departments_served(B).await.unwrap(), [(key("Physics"), true)], "another server's own");
}

async fn first_heard_is_the_guilds_earliest_occurrence(db: Db) {
    let store = &db.store;
    assert_eq!(store.first_heard(A).await.unwrap(), None, "no entries yet");
    for (guild, day) in [(A, 9), (A, 4), (A, 12), (B, 1)] {
        db.add(NewEntry { occurred_at: t(day, 10), created_at: t(20, 10), ..new(guild, "heard") }).await;
    }
    assert_eq!(store.first_heard(A).await.unwrap(), Some(t(4, 10)));
    assert_eq!(store.first_heard(B).await.unwrap(), Some(t(1, 10)));
}
