//! Desk hand-offs: admins name a department's liaison librarians; a capture through the desk (or
//! with `hand_off:true`) is sent to them by DM with Take it; the first to take it owns the
//! follow-up, due in 7 days; the capturer is told who it went to; the digest counts them and lists
//! those nobody took, or that reached nobody.

use liaison::discord::commands::{hand_offs, route_command};
use liaison::discord::options::{OptionValue, Options};
use liaison::domain::entry::FollowUpStatus;
use liaison::domain::ids::{EntryId, UserId};
use liaison::service::hand_offs::run_due;

use crate::bench::*;

fn liaison(department: &str, user: UserId) -> Options {
    Options::new()
        .with("liaison", Options::new().with("department", department).with("user", OptionValue::User(user)))
}

async fn name(bench: &Bench, department: &str, user: UserId) -> String {
    message(route_command(&bench.app, &admin(), "settings", &liaison(department, user), None).await).content
}

fn desk_note(department: &str, note: &str) -> Options {
    Options::new().with("department", department).with("note", note).with("channel", "desk")
}

fn preview() -> Options {
    Options::new().with("preview", Options::new().with("period", "this-week"))
}

#[tokio::test]
async fn admins_name_and_remove_liaison_librarians_and_show_lists_them() {
    let bench = Bench::at(november(18)).await;
    let refused =
        refusal(route_command(&bench.app, &bob(), "settings", &liaison("History", alice().user), None).await);
    assert!(refused.starts_with("Only server admins"), "{refused}");
    let named = name(&bench, "hist", alice().user).await;
    assert_eq!(
        named,
        "<@101> is now a liaison librarian for History: its desk hand-offs go to them. The same command again removes them."
    );
    name(&bench, "Law", bob().user).await;
    let show = Options::new().with("show", Options::new());
    let t = text(&message(route_command(&bench.app, &bob(), "settings", &show, None).await));
    assert!(t.contains("Liaison librarians (desk hand-offs)\n• History: <@101>\n• Law: <@102>"), "{t}");
    let removed = name(&bench, "History", alice().user).await;
    assert!(
        removed.starts_with("<@101> was a liaison librarian for History and is now removed"),
        "{removed}"
    );
    let t = text(&message(route_command(&bench.app, &bob(), "settings", &show, None).await));
    assert!(!t.contains("History: <@101>") && t.contains("Law: <@102>"), "{t}");
    let unknown =
        refusal(route_command(&bench.app, &admin(), "settings", &liaison("Alchemy", bob().user), None).await);
    assert!(unknown.contains("Alchemy"), "{unknown}");
}

#[tokio::test]
async fn a_desk_capture_goes_to_the_liaison_who_takes_it_on_first() {
    // Wednesday 18 November, London.
    let bench = Bench::at(november(18)).await;
    name(&bench, "History", alice().user).await;
    name(&bench, "History", admin().user).await;
    let saved = message(
        bench.intel(&bob(), desk_note("History", "Three PhD students asked for EEBO training")).await,
    );
    assert!(saved.ephemeral);
    assert!(
        saved.content.ends_with("Sent to <@101> (History liaison).\nSent to <@103> (History liaison)."),
        "{}",
        saved.content
    );
    let dms = bench.posted.dms();
    assert_eq!(dms.iter().map(|(to, _)| *to).collect::<Vec<_>>(), [alice().user, admin().user]);
    let dm = &dms[0].1;
    let t = text(dm);
    assert!(
        t.contains("From the desk: entry #1 is about History")
            && t.contains("Bob Enquiries: Three PhD students"),
        "{t}"
    );
    assert_eq!(buttons(dm), [("Take it".to_string(), format!("take:{GUILD}:1"), false)]);

    // Taken from the DM: no member, the guild from the id.
    let taken = update(hand_offs::take(&bench.app, alice().user, GUILD, EntryId(1)).await);
    assert_eq!(
        taken.content,
        "Taken: the follow-up on #1 is yours, due Wed 25 Nov 2026. `/followups` lists it."
    );
    assert!(taken.buttons.is_empty(), "the button is gone");
    let f = bench.entry(1).await.unwrap().follow_up.unwrap();
    assert_eq!((f.owner, f.status), (alice().user, FollowUpStatus::Open));
    let late = update(hand_offs::take(&bench.app, admin().user, GUILD, EntryId(1)).await);
    assert_eq!(late.content, "#1 was already taken by <@101>.");
    let stranger = update(hand_offs::take(&bench.app, bob().user, GUILD, EntryId(2)).await);
    assert_eq!(stranger.content, "#2 was not handed to you, or it has been deleted.");

    // The digest counts it as taken up.
    let t = text(&message(route_command(&bench.app, &bob(), "digest", &preview(), None).await));
    assert!(t.contains("From the desk: **1**, taken up: **1**"), "{t}");
}

#[tokio::test]
async fn only_the_desk_or_hand_off_true_hands_off_and_never_to_the_capturer() {
    let bench = Bench::at(november(18)).await;
    name(&bench, "Law", alice().user).await;
    let coffee =
        Options::new().with("department", "Law").with("note", "Westlaw outage").with("channel", "coffee");
    let saved = message(bench.intel(&bob(), coffee.clone()).await);
    assert!(!saved.content.contains("Sent to"), "{}", saved.content);
    assert!(bench.posted.dms().is_empty());
    let saved = message(bench.intel(&bob(), coffee.with("hand_off", true)).await);
    assert!(saved.content.ends_with("Sent to <@101> (Law liaison)."), "{}", saved.content);
    // Alice captures about her own department: nobody else looks after it, so it goes nowhere.
    let saved = message(bench.intel(&alice(), desk_note("Law", "heard it myself")).await);
    assert!(!saved.content.contains("Sent to"), "{}", saved.content);
    assert_eq!(bench.posted.dms().len(), 1);
    // Asked for, with nobody to send it to: said so.
    let asked = desk_note("Physics", "lab wants a reading list").with("hand_off", true);
    let saved = message(bench.intel(&bob(), asked).await);
    assert!(
        saved.content.contains("Nobody is named liaison librarian for its department yet"),
        "{}",
        saved.content
    );
}

#[tokio::test]
async fn refused_dms_and_hand_offs_nobody_took_fall_back_to_the_digest() {
    let bench = Bench::at(november(16)).await;
    name(&bench, "History", alice().user).await;
    name(&bench, "Law", bob().user).await;
    bench.posted.close_dms(bob().user);
    message(bench.intel(&admin(), desk_note("History", "asked about EEBO")).await); // #1, nobody takes it
    let saved = message(bench.intel(&admin(), desk_note("Law", "asked about Westlaw")).await); // #2, refused
    assert!(
        saved.content.ends_with(
            "Could not reach <@102> (Law liaison) by DM; the weekly digest lists it for the team."
        ),
        "{}",
        saved.content
    );
    // Refused for good: the scheduler does not try it again.
    assert!(run_due(bench.app.store.as_ref(), &bench.app.config, bench.posted.as_ref(), november(17))
        .await
        .unwrap()
        .is_empty());

    bench.clock.set(november(18));
    let t = text(&message(route_command(&bench.app, &alice(), "digest", &preview(), None).await));
    assert!(t.contains("From the desk: **2**, taken up: **0**"), "{t}");
    assert!(t.contains("Hand-offs nobody took within 3 days (1)"), "only the refused one yet: {t}");
    assert!(t.contains("**#2** Law · handed off") && t.contains("nobody could be reached by DM"), "{t}");
    assert!(!t.contains("<@102>"), "whose DMs are closed is not said: {t}");

    bench.clock.set(november(20));
    let t = text(&message(route_command(&bench.app, &alice(), "digest", &preview(), None).await));
    assert!(t.contains("Hand-offs nobody took within 3 days (2)"), "{t}");
    assert!(t.contains("**#1** History · handed off") && t.contains("nobody took it"), "{t}");
}

/// The scheduler's pass: a hand-off whose sender died after recording it is sent once its claim
/// lapses, once; one already sent, or of an entry deleted since, is not.
#[tokio::test]
async fn a_hand_off_whose_sender_died_is_sent_by_the_scheduler_once() {
    use liaison::domain::department::DepartmentKey;
    use liaison::service::hand_offs::{Outcome, LEASE};
    use liaison::store::HandOffKey;

    let bench = Bench::at(november(18)).await;
    message(bench.intel(&bob(), Options::new().with("department", "History").with("note", "EEBO")).await);
    message(bench.intel(&bob(), Options::new().with("department", "History").with("note", "gone")).await);
    let store = bench.app.store.as_ref();
    let (config, posted) = (&bench.app.config, bench.posted.as_ref());
    // Recorded, then the process stopped before sending: nobody was named yet, so record by hand.
    for entry in [1, 2] {
        let key = HandOffKey { guild: GUILD, entry: EntryId(entry), liaison: alice().user };
        assert!(store
            .offer_hand_off(&key, &DepartmentKey::from_stored("History"), november(18))
            .await
            .unwrap());
    }
    assert!(store.delete_entry(GUILD, EntryId(2)).await.unwrap());
    let out =
        run_due(store, config, posted, november(18) + LEASE - chrono::Duration::minutes(1)).await.unwrap();
    assert!(out.is_empty(), "the claim still holds: {out:?}");
    let later = november(18) + LEASE + chrono::Duration::minutes(1);
    let out = run_due(store, config, posted, later).await.unwrap();
    assert!(
        matches!(&out[..], [Outcome::Sent(k), Outcome::Gone(g)] if k.entry == EntryId(1) && g.entry == EntryId(2)),
        "{out:?}"
    );
    assert_eq!(bench.posted.dms().len(), 1);
    assert!(run_due(store, config, posted, later + chrono::Duration::hours(1)).await.unwrap().is_empty());
    assert_eq!(bench.posted.dms().len(), 1, "sent once");
}

/// A desk entry moved to another department by `/entry edit` goes to that department's liaison,
/// once; the liaison it went to before is not sent it again. Off the desk, an edit hands off
/// nothing.
#[tokio::test]
async fn a_desk_entry_moved_to_another_department_goes_to_its_liaison_once() {
    let bench = Bench::at(november(18)).await;
    name(&bench, "Law", alice().user).await;
    name(&bench, "History", admin().user).await;
    message(bench.intel(&bob(), desk_note("Law", "Moot court recordings")).await);
    assert_eq!(bench.posted.dms().len(), 1);
    let edit = |options: Options| Options::new().with("edit", options.with("id", 1));
    let moved = message(
        route_command(&bench.app, &bob(), "entry", &edit(Options::new().with("department", "History")), None)
            .await,
    );
    assert_eq!(
        moved.content,
        "Updated entry #1: department Law → History.\nSent to <@103> (History liaison)."
    );
    let dms = bench.posted.dms();
    assert_eq!(dms.iter().map(|(to, _)| *to).collect::<Vec<_>>(), [alice().user, admin().user]);
    assert!(text(&dms[1].1).contains("entry #1 is about History"), "{}", text(&dms[1].1));
    // Back to Law: Alice had it already, so nobody is sent anything.
    let back = message(
        route_command(&bench.app, &bob(), "entry", &edit(Options::new().with("department", "Law")), None)
            .await,
    );
    assert_eq!(back.content, "Updated entry #1: department History → Law.");
    assert_eq!(bench.posted.dms().len(), 2);

    // Captured over coffee, moved: no hand-off.
    let coffee =
        Options::new().with("department", "Law").with("note", "Exam papers").with("channel", "coffee");
    message(bench.intel(&bob(), coffee).await);
    let options = Options::new().with("edit", Options::new().with("id", 2).with("department", "History"));
    let moved = message(route_command(&bench.app, &bob(), "entry", &options, None).await);
    assert_eq!(moved.content, "Updated entry #2: department Law → History.");
    assert_eq!(bench.posted.dms().len(), 2);
}
