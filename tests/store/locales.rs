//! A server's locale: kept, replaced when Discord sends another, one server's never another's,
//! and gone with the rest of a forgotten server's data.

use crate::harness::Db;
use crate::{t, A, B};

crate::conformance!(a_guilds_locale_is_kept_replaced_and_forgotten_with_it,);

async fn a_guilds_locale_is_kept_replaced_and_forgotten_with_it(db: Db) {
    let store = &db.store;
    assert_eq!(store.guild_locale(A).await.unwrap(), None);
    store.save_guild_locale(A, "en-GB", t(1, 9)).await.unwrap();
    store.save_guild_locale(B, "ja", t(1, 9)).await.unwrap();
    store.save_guild_locale(A, "en-US", t(2, 9)).await.unwrap();
    assert_eq!(store.guild_locale(A).await.unwrap().as_deref(), Some("en-US"));
    assert_eq!(store.guild_locale(B).await.unwrap().as_deref(), Some("ja"));
    store.forget_guild(A).await.unwrap();
    assert_eq!(store.guild_locale(A).await.unwrap(), None);
    assert_eq!(store.guild_locale(B).await.unwrap().as_deref(), Some("ja"));
}
