//! `/privacy find` and `/privacy erase`: admins only; erase says how many entries first and waits
//! for Confirm, which checks again who presses it; the request waits server-side.

use liaison::discord::commands::{route_button, route_command};
use liaison::discord::options::Options;
use liaison::domain::ids::UserId;
use liaison::domain::privacy::PrivacyActionKind;

use crate::bench::*;

fn privacy(sub: &str, options: Options) -> Options {
    Options::new().with(sub, options)
}

async fn search_ids(bench: &Bench, query: &str) -> Vec<i64> {
    let options = Options::new().with("query", query);
    listed(&message(route_command(&bench.app, &admin(), "search", &options, None).await))
}

async fn logged(bench: &Bench) -> Vec<(PrivacyActionKind, u64, String)> {
    let log = bench.app.store.privacy_log(Some(GUILD), 10).await.expect("the log reads");
    log.into_iter().map(|a| (a.kind, a.entries, a.by)).collect()
}

#[tokio::test]
async fn only_admins_find_or_erase() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "José García asked about EEBO").await;
    for options in [
        privacy("find", Options::new().with("text", "José")),
        privacy("erase", Options::new().with("text", "José")),
        privacy("erase", Options::new().with("member", UserId(101))),
    ] {
        let refused = refusal(route_command(&bench.app, &alice(), "privacy", &options, None).await);
        assert!(refused.starts_with("Only server admins"), "{refused}");
    }
    let refused = refusal(
        route_command(
            &bench.app,
            &admin(),
            "privacy",
            &privacy("find", Options::new().with("text", "...")),
            None,
        )
        .await,
    );
    assert!(refused.contains("no letters or digits"), "{refused}");
}

#[tokio::test]
async fn find_lists_every_entry_that_mentions_a_name_whole_words_any_accents() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "José García asked about EEBO").await;
    bench.note(&bob(), "Law", "Jose wants Westlaw").await;
    bench.note(&bob(), "Law", "Josephine wants Lexis").await;
    let found = message(
        route_command(
            &bench.app,
            &admin(),
            "privacy",
            &privacy("find", Options::new().with("text", "JOSE")),
            None,
        )
        .await,
    );
    assert!(found.ephemeral);
    let t = text(&found);
    assert!(t.contains("2 entries mention \"JOSE\"."), "{t}");
    assert_eq!(listed(&found), vec![1, 2]);
}

#[tokio::test]
async fn erase_shows_the_count_and_confirm_erases_so_search_stops_finding_it() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "José García asked about EEBO").await;
    bench.note(&bob(), "Law", "García again, about Westlaw").await;
    bench.note(&bob(), "Law", "Nothing about anyone").await;
    assert_eq!(search_ids(&bench, "garcia").await.len(), 2);

    let ask = message(
        route_command(
            &bench.app,
            &admin(),
            "privacy",
            &privacy("erase", Options::new().with("text", "García")),
            None,
        )
        .await,
    );
    assert!(ask.ephemeral);
    assert_eq!(
        ask.content,
        "Erase \"García\" in 2 entries? Each mention becomes [erased]. This cannot be undone."
    );
    let b = buttons(&ask);
    assert_eq!((b[0].0.as_str(), b[1].0.as_str()), ("Confirm", "Cancel"));
    assert!(b[0].1.starts_with("erase:") && !b[0].1.contains("arc"), "the text never travels: {}", b[0].1);
    assert_eq!(search_ids(&bench, "garcia").await.len(), 2, "nothing erased before Confirm");
    assert_eq!(logged(&bench).await, vec![]);

    // A member who is not (or no longer) an admin cannot press it.
    let refused = refusal(route_button(&bench.app, &alice(), &b[0].1).await);
    assert!(refused.starts_with("Only server admins"), "{refused}");

    let done = update(route_button(&bench.app, &admin(), &b[0].1).await);
    assert_eq!(done.content, "Erased \"García\" in 2 entries.");
    assert_eq!(search_ids(&bench, "garcia").await, Vec::<i64>::new());
    assert_eq!(bench.entry(1).await.unwrap().note.as_str(), "José [erased] asked about EEBO");
    assert_eq!(bench.entry(3).await.unwrap().note.as_str(), "Nothing about anyone");
    assert_eq!(logged(&bench).await, vec![(PrivacyActionKind::EraseText, 2, "admin 103".to_string())]);
    // The request and its text are forgotten: a second press finds nothing waiting.
    let pending: i64 = b[0].1.trim_start_matches("erase:").parse().unwrap();
    assert_eq!(bench.app.store.saved_search(GUILD, pending).await.unwrap(), None);
    let again = refusal(route_button(&bench.app, &admin(), &b[0].1).await);
    assert!(again.starts_with("This erasure is no longer waiting"), "{again}");
}

#[tokio::test]
async fn cancel_changes_nothing() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "Dr Field asked").await;
    let ask = message(
        route_command(
            &bench.app,
            &admin(),
            "privacy",
            &privacy("erase", Options::new().with("text", "dr field")),
            None,
        )
        .await,
    );
    let b = buttons(&ask);
    let cancelled = update(route_button(&bench.app, &admin(), &b[1].1).await);
    assert_eq!(cancelled.content, "Nothing erased.");
    let pending: i64 = b[0].1.trim_start_matches("erase:").parse().unwrap();
    assert_eq!(bench.app.store.saved_search(GUILD, pending).await.unwrap(), None, "its text is not kept");
    let refused = refusal(route_button(&bench.app, &admin(), &b[0].1).await);
    assert!(refused.starts_with("This erasure is no longer waiting"), "{refused}");
    assert_eq!(bench.entry(1).await.unwrap().note.as_str(), "Dr Field asked");
    assert_eq!(search_ids(&bench, "field").await, vec![1]);
    assert_eq!(logged(&bench).await, vec![]);
}

#[tokio::test]
async fn a_member_is_erased_from_their_entries_or_their_entries_deleted() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "one").await;
    bench.note(&alice(), "History", "two").await;
    bench.note(&bob(), "Law", "three").await;
    let erase = |delete| privacy("erase", Options::new().with("member", UserId(101)).with("delete", delete));

    let ask = message(route_command(&bench.app, &admin(), "privacy", &erase(false), None).await);
    assert!(ask.content.starts_with("Remove <@101>'s name and id from 2 entries?"), "{}", ask.content);
    let done = update(route_button(&bench.app, &admin(), &buttons(&ask)[0].1).await);
    assert_eq!(done.content, "2 entries now attributed to \"former member\".");
    let e = bench.entry(1).await.unwrap();
    assert_eq!((e.author.id, e.author.name.as_str()), (UserId(0), "former member"));

    let none = message(route_command(&bench.app, &admin(), "privacy", &erase(true), None).await);
    assert_eq!(none.content, "<@101> wrote no entries here. Nothing to erase.");
    assert!(none.buttons.is_empty());

    let bob_erase = privacy("erase", Options::new().with("member", UserId(102)).with("delete", true));
    let ask = message(route_command(&bench.app, &admin(), "privacy", &bob_erase, None).await);
    assert_eq!(ask.content, "Delete 1 entry by <@102>? This cannot be undone.");
    let done = update(route_button(&bench.app, &admin(), &buttons(&ask)[0].1).await);
    assert_eq!(done.content, "Deleted 1 entry.");
    assert!(bench.entry(3).await.is_none());
    let kinds: Vec<_> = logged(&bench).await.into_iter().map(|(k, n, _)| (k, n)).collect();
    assert_eq!(kinds, vec![(PrivacyActionKind::DeleteAuthor, 1), (PrivacyActionKind::EraseAuthor, 2)]);
}

#[tokio::test]
async fn a_confirm_button_refuses_a_saved_search_and_a_saved_search_an_erasure() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "Dr Field asked").await;
    let search = message(
        route_command(&bench.app, &admin(), "search", &Options::new().with("query", "field"), None).await,
    );
    assert_eq!(listed(&search), vec![1]);
    // The saved search is id 1: a forged Confirm naming it must not run anything, nor a forged
    // Cancel forget it.
    let refused = refusal(route_button(&bench.app, &admin(), "erase:1").await);
    assert!(refused.starts_with("This erasure is no longer waiting"), "{refused}");
    update(route_button(&bench.app, &admin(), "noerase:1").await);
    assert!(bench.app.store.saved_search(GUILD, 1).await.unwrap().is_some());
    let ask = message(
        route_command(
            &bench.app,
            &admin(),
            "privacy",
            &privacy("erase", Options::new().with("text", "field")),
            None,
        )
        .await,
    );
    let pending: i64 = buttons(&ask)[0].1.trim_start_matches("erase:").parse().unwrap();
    let page = refusal(route_button(&bench.app, &admin(), &format!("search:{pending}:0")).await);
    assert_eq!(page, "This search has expired. Run /search again.");
    // An hour on, the Confirm button has lapsed.
    bench.clock.set(november(18) + chrono::Duration::minutes(61));
    let late = refusal(route_button(&bench.app, &admin(), &buttons(&ask)[0].1).await);
    assert!(late.starts_with("This erasure is no longer waiting"), "{late}");
    assert_eq!(bench.entry(1).await.unwrap().note.as_str(), "Dr Field asked");
}
