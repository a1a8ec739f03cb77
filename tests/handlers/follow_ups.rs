//! `/followups` and its Done buttons: overdue first, by the clock; marking one done updates the
//! list in place, with the same filter.

use liaison::discord::commands::{follow_ups, route_button, route_command};
use liaison::discord::options::Options;
use liaison::domain::entry::FollowUpStatus;
use liaison::domain::ids::EntryId;

use crate::bench::*;

async fn promise(bench: &Bench, who: &liaison::discord::caller::Caller, department: &str, due: &str) {
    let options =
        Options::new().with("department", department).with("note", "Send the guide").with("follow_up", due);
    message(bench.intel(who, options).await);
}

#[tokio::test]
async fn overdue_ones_come_first_and_done_updates_the_list_in_place() {
    // Wednesday 18 November.
    let bench = Bench::at(november(18)).await;
    promise(&bench, &alice(), "Physics", "friday").await; // #1, due the 20th
    promise(&bench, &alice(), "Physics", "today").await; // #2, due the 18th
    promise(&bench, &alice(), "Law", "in 10 days").await; // #3, due the 28th
    promise(&bench, &bob(), "Law", "friday").await; // #4, Bob's

    bench.clock.set(november(19));
    let mine = message(route_command(&bench.app, &alice(), "followups", &Options::new(), None).await);
    let t = text(&mine);
    assert!(t.starts_with("\nYour open follow-ups\n3 open, 1 overdue."), "{t}");
    assert!(t.contains("#2 · Physics · **overdue** Wed 18 Nov 2026: Alice Liaison: Send the guide"), "{t}");
    assert_eq!(listed(&mine), [2, 1, 3], "overdue first, then soonest due");
    let labels: Vec<String> = buttons(&mine).into_iter().map(|b| b.0).collect();
    assert_eq!(labels, ["Done #2", "Done #1", "Done #3"]);

    let done = update(route_button(&bench.app, &alice(), &buttons(&mine)[0].1).await);
    assert_eq!(done.content, "Marked the follow-up on #2 done.");
    assert!(text(&done).contains("2 open, 0 overdue."), "{}", text(&done));
    let closed = bench.entry(2).await.unwrap().follow_up.unwrap();
    assert_eq!((closed.status, closed.done_at), (FollowUpStatus::Done, Some(november(19))));

    // Everyone's, for Law: the filter travels with the button.
    let options = Options::new().with("scope", "all").with("department", "llb");
    let law = message(route_command(&bench.app, &bob(), "followups", &options, None).await);
    assert!(text(&law).starts_with("\nOpen follow-ups\n2 open, 0 overdue."), "{}", text(&law));
    assert_eq!(listed(&law), [4, 3]);
    let done = update(route_button(&bench.app, &bob(), &buttons(&law)[0].1).await);
    assert_eq!(listed(&done), [3], "still everyone's, still Law");

    // Bob's own list is empty now; Alice's is not his to close.
    let bobs = message(route_command(&bench.app, &bob(), "followups", &Options::new(), None).await);
    assert!(text(&bobs).contains("Nothing open. Well done."), "{}", text(&bobs));
    let refused = refusal(route_button(&bench.app, &bob(), "done:1:all:-").await);
    assert_eq!(refused, "only the follow-up's owner, the entry's author or an admin can mark it done");
}

#[tokio::test]
async fn done_on_a_reminder_closes_it_by_the_guild_in_its_id() {
    let bench = Bench::at(november(18)).await;
    promise(&bench, &alice(), "Physics", "today").await;
    let refused = refusal(follow_ups::reminder_done(&bench.app, bob().user, GUILD, EntryId(1)).await);
    assert_eq!(refused, "only the follow-up's owner, the entry's author or an admin can mark it done");
    let reply = follow_ups::reminder_done(&bench.app, alice().user, GUILD, EntryId(1)).await;
    let closed = update(reply);
    assert_eq!(closed.content, "Done: the follow-up on #1 is closed. Thank you.");
    assert!(!closed.ephemeral, "a DM has nothing to hide it from");
    assert_eq!(bench.entry(1).await.unwrap().follow_up.unwrap().status, FollowUpStatus::Done);
}

#[tokio::test]
async fn everyones_follow_ups_list_a_private_entry_without_its_text_to_other_members() {
    let bench = Bench::at(november(18)).await;
    let options = Options::new()
        .with("department", "Law")
        .with("note", "Call back about the student's appeal")
        .with("follow_up", "friday")
        .with("share", "private");
    message(bench.intel(&alice(), options).await);
    let all = || Options::new().with("scope", "all");
    let bobs = text(&message(route_command(&bench.app, &bob(), "followups", &all(), None).await));
    assert!(bobs.contains("1 open, 0 overdue."), "counted: {bobs}");
    assert!(
        bobs.contains("Alice Liaison: (private: only its author and admins see its text)")
            && !bobs.contains("appeal"),
        "{bobs}"
    );
    for who in [alice(), admin()] {
        let t = text(&message(route_command(&bench.app, &who, "followups", &all(), None).await));
        assert!(t.contains("Alice Liaison: Call back about the student's appeal"), "{t}");
    }
}
