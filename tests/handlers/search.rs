//! `/search` and its Previous/Next buttons: a search is kept resolved, so its buttons page
//! through the same results whatever day they are pressed, until it expires.

use liaison::discord::commands::{route_button, search};
use liaison::discord::options::Options;
use liaison::domain::ids::UserId;

use crate::bench::*;

async fn search(bench: &Bench, options: Options) -> liaison::message::Message {
    let request = search::parse(&options, bench.rules()).expect("options that parse");
    message(search::handle(&bench.app, &alice(), request).await)
}

#[tokio::test]
async fn results_come_five_a_page_with_buttons_and_filters() {
    let bench = Bench::at(november(18)).await;
    for i in 0..12 {
        bench.note(&alice(), "History", &format!("Interlibrary loan question number {i}")).await;
    }
    bench.note(&bob(), "Law", "Westlaw outage").await;

    let first = search(&bench, Options::new().with("query", "loan")).await;
    assert!(first.ephemeral);
    let t = text(&first);
    assert!(t.starts_with("\nSearch: loan\n12 results · page 1 of 3"), "{t}");
    assert!(t.contains("**loan**"), "the match is highlighted: {t}");
    assert_eq!(listed(&first).len(), 5);
    let b = buttons(&first);
    assert_eq!((b[0].0.as_str(), b[0].2, b[1].0.as_str(), b[1].2), ("Previous", true, "Next", false));

    let second = update(route_button(&bench.app, &alice(), &b[1].1).await);
    assert!(text(&second).contains("12 results · page 2 of 3"), "{}", text(&second));
    let b = buttons(&second);
    assert_eq!((b[0].2, b[1].2), (false, false), "both ways open");
    let third = update(route_button(&bench.app, &alice(), &b[1].1).await);
    assert!(text(&third).contains("page 3 of 3"));
    assert_eq!((listed(&third).len(), buttons(&third)[1].2), (2, true), "the last page: Next is off");

    let law = text(&search(&bench, Options::new().with("department", "llb")).await);
    assert!(law.starts_with("\nLatest entries\n1 result · page 1 of 1") && law.contains("Westlaw"), "{law}");
    let by_bob = search(&bench, Options::new().with("author", UserId(102))).await;
    assert!(text(&by_bob).contains("1 result ·") && buttons(&by_bob).is_empty(), "{}", text(&by_bob));
    let none = text(&search(&bench, Options::new().with("query", "zebra")).await);
    assert!(none.contains("No entries match."), "{none}");
}

#[tokio::test]
async fn next_pressed_ten_days_later_shows_the_next_page_of_the_same_results() {
    // Wednesday 18 November: "last week" is 9 to 15 November.
    let day_d = november(18);
    let bench = Bench::at(day_d).await;
    for day in 9..=15 {
        let options = Options::new()
            .with("department", "History")
            .with("note", format!("Interlibrary loan asked on the {day}th").as_str())
            .with("when", format!("2026-11-{day:02}").as_str());
        message(bench.intel(&alice(), options).await);
    }
    // This week's: "last week" ten days on.
    for day in 16..=18 {
        let options = Options::new()
            .with("department", "Law")
            .with("note", "A loan question this week")
            .with("when", format!("2026-11-{day:02}").as_str());
        message(bench.intel(&bob(), options).await);
    }
    let last_week =
        || Options::new().with("query", "loan").with("since", "last week").with("until", "last week");

    let first = search(&bench, last_week()).await;
    assert!(text(&first).contains("7 results · page 1 of 2"), "{}", text(&first));
    let (previous, next) = (buttons(&first)[0].1.clone(), buttons(&first)[1].1.clone());
    let on_day_d = update(route_button(&bench.app, &alice(), &next).await);
    assert_eq!(listed(&on_day_d).len(), 2);

    bench.clock.set(day_d + days(10));
    let ten_days_on = update(route_button(&bench.app, &alice(), &next).await);
    assert_eq!(ten_days_on, on_day_d, "the same page, to the letter");
    let back = update(route_button(&bench.app, &alice(), &previous).await);
    assert_eq!(listed(&back), listed(&first), "and the same first page");
    // The words "last week" mean another week by now: a new search finds this week's entries.
    let again = search(&bench, last_week()).await;
    assert!(text(&again).contains("3 results · page 1 of 1"), "{}", text(&again));

    // Fourteen days is as long as a search is kept for its buttons.
    bench.clock.set(day_d + days(14));
    update(route_button(&bench.app, &alice(), &next).await);
    bench.clock.set(day_d + days(14) + chrono::Duration::seconds(1));
    let expired = refusal(route_button(&bench.app, &alice(), &next).await);
    assert_eq!(expired, "This search has expired. Run /search again.");
}

#[tokio::test]
async fn a_search_that_cannot_run_is_refused_before_it_is_kept() {
    let bench = Bench::at(november(18)).await;
    let request = search::parse(&Options::new().with("since", "the other day"), bench.rules()).unwrap();
    let refused = refusal(search::handle(&bench.app, &alice(), request).await);
    assert!(refused.contains("not a date I understand"), "{refused}");
    assert!(bench.app.store.saved_search(GUILD, 1).await.unwrap().is_none(), "nothing kept");
    let request = search::parse(&Options::new().with("tag", "#"), bench.rules()).unwrap();
    assert!(refusal(search::handle(&bench.app, &alice(), request).await).contains("tag"));
    // A button for a search that was never kept, or another server's, has expired.
    let expired = refusal(route_button(&bench.app, &alice(), "search:999999:1").await);
    assert_eq!(expired, "This search has expired. Run /search again.");
}

#[tokio::test]
async fn a_match_that_cannot_be_read_is_named_where_it_would_be_and_counted() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "Law", "Westlaw outage in the morning").await;
    bench.note(&bob(), "Law", "Westlaw outage again").await;
    // A time no reader can decode, as a hand edit or an older version could leave.
    bench.write_behind(&format!("UPDATE entries SET created_at = {} WHERE id = 1", i64::MAX)).await;

    for options in [Options::new().with("query", "westlaw"), Options::new().with("department", "Law")] {
        let page = search(&bench, options).await;
        let t = text(&page);
        assert!(t.contains("2 results · page 1 of 1"), "both counted: {t}");
        assert!(t.contains("#2 · Law") && t.contains("outage again"), "the readable one is shown: {t}");
        assert!(t.contains("Entry #1 could not be read; `/entry delete` removes it."), "{t}");
        assert!(!t.contains("in the morning"), "{t}");
    }
}

async fn search_as(
    bench: &Bench,
    who: &liaison::discord::caller::Caller,
    options: Options,
) -> liaison::message::Message {
    let request = search::parse(&options, bench.rules()).expect("options that parse");
    message(search::handle(&bench.app, who, request).await)
}

#[tokio::test]
async fn another_members_private_entries_are_not_found_but_their_own_and_an_admins_are() {
    let bench = Bench::at(november(18)).await;
    let private =
        |note: &str| Options::new().with("department", "History").with("note", note).with("share", "private");
    message(bench.intel(&alice(), private("Loan fines waived for a student in hardship")).await);
    for i in 0..6 {
        bench.note(&bob(), "History", &format!("Loan periods explained, time {i}")).await;
    }
    message(bench.intel(&alice(), private("Loan of a rare book")).await);

    let bobs = search_as(&bench, &bob(), Options::new().with("query", "loan")).await;
    let t = text(&bobs);
    assert!(t.contains("6 results · page 1 of 2") && !t.contains("rare") && !t.contains("hardship"), "{t}");
    // The next page keeps the same view, whoever's clock it is pressed on.
    let next = update(route_button(&bench.app, &bob(), &buttons(&bobs)[1].1).await);
    let shown = listed(&next);
    assert!(shown.len() == 1 && (2..=7).contains(&shown[0]), "{}", text(&next));
    let listing = text(&search_as(&bench, &bob(), Options::new().with("author", UserId(101))).await);
    assert!(listing.contains("No entries match."), "{listing}");

    for (who, total) in [(alice(), 8), (admin(), 8)] {
        let t = text(&search_as(&bench, &who, Options::new().with("query", "loan")).await);
        assert!(t.contains(&format!("{total} results ·")), "{}: {t}", who.name);
    }
    let hers = text(&search_as(&bench, &alice(), Options::new().with("query", "rare")).await);
    assert!(hers.contains("1 result ·") && hers.contains("#8"), "{hers}");
}

/// `/search similar:` as `who`.
async fn similar(
    bench: &Bench,
    who: &liaison::discord::caller::Caller,
    options: Options,
) -> Result<liaison::message::Reply, liaison::service::ServiceError> {
    let request = search::parse(&options, bench.rules())?;
    search::handle(&bench.app, who, request).await
}

#[tokio::test]
async fn similar_lists_colleagues_entries_most_like_one_with_why_best_first() {
    let bench = Bench::at(november(18)).await;
    bench.note(&alice(), "History", "Three PhD students want EEBO training before archive work").await;
    bench.note(&bob(), "English", "Postgrads asked for EEBO training on pamphlets").await;
    bench
        .note(&bob(), "Classics", "EEBO and ECCO training for the reception module, with PhD students")
        .await;
    bench.note(&bob(), "Law", "Westlaw password reset for the LLM students").await;
    let private = Options::new()
        .with("department", "English")
        .with("note", "EEBO training went badly")
        .with("share", "private");
    message(bench.intel(&bob(), private).await);

    let page = message(similar(&bench, &alice(), Options::new().with("similar", 1)).await);
    assert!(page.ephemeral);
    let t = text(&page);
    assert!(t.starts_with("\nLike entry #1: Three PhD students want EEBO training"), "{t}");
    // Best first: #3 shares PhD (the rarest), students, EEBO and training; #2 EEBO and training.
    assert_eq!(listed(&page), [3, 2], "{t}");
    assert!(t.contains("\nshared: PhD, students, EEBO, training\n"), "{t}");
    assert!(
        t.contains(
            "#2 · English: Bob Enquiries · 18 Nov 2026 · Enquiry desk\n> Postgrads asked for EEBO training"
        ),
        "{t}"
    );
    assert!(
        !t.contains("Westlaw") && !t.contains("badly"),
        "unrelated and private entries are not listed: {t}"
    );

    // An entry nobody else wrote about: said so.
    let none = text(&message(similar(&bench, &alice(), Options::new().with("similar", 4)).await));
    assert!(none.contains("No colleague's entry from the six months before it is close enough."), "{none}");
    // Another member's private entry does not exist to Alice; an unknown one neither.
    assert_eq!(
        refusal(similar(&bench, &alice(), Options::new().with("similar", 5)).await),
        "there is no entry #5 in this server"
    );
    assert_eq!(
        refusal(similar(&bench, &alice(), Options::new().with("similar", 99)).await),
        "there is no entry #99 in this server"
    );
    // Its author sees what is like it (the team's entries, never her own).
    let own = message(similar(&bench, &bob(), Options::new().with("similar", 5)).await);
    assert_eq!(listed(&own), [1], "{}", text(&own));
    // similar: is asked alone.
    let refused = refusal(
        similar(&bench, &alice(), Options::new().with("similar", 1).with("department", "History")).await,
    );
    assert!(refused.starts_with("similar: lists the entries most like one entry"), "{refused}");
}
