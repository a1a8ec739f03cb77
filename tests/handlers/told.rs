//! Telling the person it matters to (issue 17, point 2): a capture about the same thing as an
//! entry with an open follow-up DMs the follow-up's owner, at most once a day per follow-up; the
//! capturer's reply says who was told; a private capture tells nobody; a refused DM is said and
//! not tried again; the scheduler sends what a dead sender recorded.

use chrono::Duration;

use liaison::discord::commands::route_command;
use liaison::discord::options::Options;
use liaison::domain::ids::EntryId;
use liaison::service::related_notices::{run_due, Outcome, LEASE};
use liaison::store::{RelatedNoticeEnd, RelatedNoticeKey};

use crate::bench::*;

/// Alice's entry, with a follow-up of hers: #1 on a fresh bench.
fn with_follow_up(note: &str) -> Options {
    Options::new().with("department", "History").with("note", note).with("follow_up", "friday")
}

fn heard(note: &str) -> Options {
    Options::new().with("department", "History").with("note", note).with("channel", "coffee")
}

const EEBO: &str = "Three PhD students asked for EEBO training";
const EEBO_AGAIN: &str = "The PhD students want EEBO training before term";

#[tokio::test]
async fn the_follow_ups_owner_is_told_once_a_day_and_the_capturer_hears_who() {
    let bench = Bench::at(november(18)).await;
    message(bench.intel(&alice(), with_follow_up(EEBO)).await);
    assert!(bench.posted.dms().is_empty(), "nothing related yet");

    let saved = message(bench.intel(&bob(), heard(EEBO_AGAIN)).await);
    assert!(saved.ephemeral);
    assert!(saved.content.ends_with("Told <@101> (follow-up #1)."), "{}", saved.content);
    let dms = bench.posted.dms();
    assert_eq!(dms.iter().map(|(to, _)| *to).collect::<Vec<_>>(), [alice().user]);
    assert_eq!(
        dms[0].1.content,
        "Someone else heard about this: The PhD students want EEBO training before term (History, Coffee, today).\n\
         It concerns your follow-up on #1. See the new entry with `/entry show id:2`."
    );

    // The same day, a third capture about it: the reply says so, and Alice gets no second DM.
    let again = message(bench.intel(&admin(), heard("EEBO training for PhD students, again")).await);
    assert!(
        again.content.ends_with("<@101> (follow-up #1) was told of a related note today already."),
        "{}",
        again.content
    );
    assert_eq!(bench.posted.dms().len(), 1, "at most one DM a day per follow-up");

    // The next day, another: told again, of the new one, heard the day before.
    bench.clock.set(november(19));
    let yesterday = heard("EEBO again from the PhD students").with("when", "yesterday");
    let saved = message(bench.intel(&bob(), yesterday).await);
    assert!(saved.content.ends_with("Told <@101> (follow-up #1)."), "{}", saved.content);
    let dms = bench.posted.dms();
    assert_eq!(dms.len(), 2);
    assert!(dms[1].1.content.contains("(History, Coffee, yesterday)"), "{}", dms[1].1.content);
    assert!(dms[1].1.content.contains("`/entry show id:4`"), "{}", dms[1].1.content);
}

#[tokio::test]
async fn a_private_capture_tells_nobody_and_nor_does_ones_own() {
    let bench = Bench::at(november(18)).await;
    message(bench.intel(&alice(), with_follow_up(EEBO)).await);
    let private = message(bench.intel(&bob(), heard(EEBO_AGAIN).with("share", "private")).await);
    assert!(!private.content.contains("Told") && !private.content.contains("<@101>"), "{}", private.content);
    // Alice hears about it again herself: her own follow-up, nobody to tell.
    let own = message(bench.intel(&alice(), heard(EEBO_AGAIN)).await);
    assert!(!own.content.contains("Told"), "{}", own.content);
    assert!(bench.posted.dms().is_empty(), "{:?}", bench.posted.dms());
    // A team capture after them still tells her: the private one used up nothing.
    let saved = message(bench.intel(&bob(), heard(EEBO_AGAIN)).await);
    assert!(saved.content.ends_with("Told <@101> (follow-up #1)."), "{}", saved.content);
    assert_eq!(bench.posted.dms().len(), 1);
}

#[tokio::test]
async fn a_closed_follow_up_is_nobodys_business_and_user_text_is_escaped() {
    let bench = Bench::at(november(18)).await;
    message(bench.intel(&alice(), with_follow_up(EEBO)).await);
    bench
        .write_behind("UPDATE entries SET follow_up_status = 'done', follow_up_done_at = 1 WHERE id = 1")
        .await;
    let saved = message(bench.intel(&bob(), heard(EEBO_AGAIN)).await);
    assert!(!saved.content.contains("Told"), "{}", saved.content);
    assert!(bench.posted.dms().is_empty());

    message(bench.intel(&alice(), with_follow_up("EEBO workshop list for PhD students")).await);
    message(bench.intel(&bob(), heard("**EEBO** workshop list @everyone <@103> for PhD students")).await);
    let dm = &bench.posted.dms()[0].1.content;
    assert!(
        dm.contains("\\*\\*EEBO\\*\\* workshop list @\u{200b}everyone \\<@\u{200b}103\\> for PhD students"),
        "{dm}"
    );
}

#[tokio::test]
async fn a_refused_dm_is_said_finished_and_not_tried_again() {
    let bench = Bench::at(november(18)).await;
    message(bench.intel(&alice(), with_follow_up(EEBO)).await);
    bench.posted.close_dms(alice().user);
    let saved = message(bench.intel(&bob(), heard(EEBO_AGAIN)).await);
    assert!(
        saved.content.ends_with("Could not tell <@101> (follow-up #1): Discord refused the DM."),
        "{}",
        saved.content
    );
    let store = bench.app.store.as_ref();
    let key = RelatedNoticeKey { guild: GUILD, entry: EntryId(1), day: november(18).date_naive() };
    let notice = store.related_notice(&key).await.unwrap().unwrap();
    assert!(matches!(notice.end, Some(RelatedNoticeEnd::Undeliverable { .. })), "{notice:?}");
    let later = november(18) + LEASE + Duration::hours(1);
    let out = run_due(store, &bench.app.config, bench.posted.as_ref(), later).await.unwrap();
    assert!(out.is_empty(), "finished: {out:?}");

    // Alice is told privately on her next command, once; Bob is told nothing of hers.
    let stats = Options::new().with("period", "all");
    let bobs = message(route_command(&bench.app, &bob(), "stats", &stats, None).await);
    assert!(!bobs.content.contains("could not tell you"), "{}", bobs.content);
    let first = message(route_command(&bench.app, &alice(), "stats", &stats, None).await);
    assert!(first.ephemeral);
    assert!(
        first.content.ends_with(
            "I could not tell you by DM that someone else heard about your follow-up on #1: see `/entry show id:2`. Your DMs from this server are closed."
        ),
        "{}",
        first.content
    );
    let again = message(route_command(&bench.app, &alice(), "stats", &stats, None).await);
    assert!(!again.content.contains("could not tell you"), "{}", again.content);
}

/// A notice recorded by a sender that died before sending is sent by the scheduler once its
/// claim lapses, once; one whose follow-up was closed meanwhile is finished unsent.
#[tokio::test]
async fn a_notice_whose_sender_died_is_sent_by_the_scheduler_once() {
    let bench = Bench::at(november(18)).await;
    message(bench.intel(&alice(), with_follow_up(EEBO)).await);
    message(bench.intel(&alice(), with_follow_up("Closed since")).await);
    // Bob's capture, in another department so that nothing is sent at capture; its notices
    // recorded by hand, as a sender that stopped between the record and the DM leaves them.
    let no_follow_up = |note: &str| Options::new().with("department", "Law").with("note", note);
    message(bench.intel(&bob(), no_follow_up("Moot court recordings wanted")).await);
    let store = bench.app.store.as_ref();
    let (config, posted) = (&bench.app.config, bench.posted.as_ref());
    let day = november(18).date_naive();
    let (open, closed) = (
        RelatedNoticeKey { guild: GUILD, entry: EntryId(1), day },
        RelatedNoticeKey { guild: GUILD, entry: EntryId(2), day },
    );
    for key in [open, closed] {
        assert!(store.offer_related_notice(&key, EntryId(3), november(18)).await.unwrap());
    }
    bench
        .write_behind("UPDATE entries SET follow_up_status = 'done', follow_up_done_at = 1 WHERE id = 2")
        .await;
    let out = run_due(store, config, posted, november(18) + LEASE - Duration::minutes(1)).await.unwrap();
    assert!(out.is_empty(), "the claim still holds: {out:?}");
    let later = november(18) + LEASE + Duration::minutes(1);
    let out = run_due(store, config, posted, later).await.unwrap();
    assert_eq!(out, [(open, Outcome::Sent), (closed, Outcome::Gone)]);
    let dms = bench.posted.dms();
    assert_eq!(dms.iter().map(|(to, _)| *to).collect::<Vec<_>>(), [alice().user]);
    assert!(dms[0].1.content.contains("(Law, "), "{}", dms[0].1.content);
    assert!(run_due(store, config, posted, later + Duration::hours(1)).await.unwrap().is_empty());
    assert_eq!(bench.posted.dms().len(), 1, "sent once");
}

/// Two people in different departments hear about the same thing: the History follow-up's owner
/// is told of the English entry, named by its own department.
#[tokio::test]
async fn a_capture_in_another_department_tells_the_owner_too() {
    let bench = Bench::at(november(18)).await;
    message(bench.intel(&alice(), with_follow_up(EEBO).with("tags", "eebo")).await);
    let english = Options::new()
        .with("department", "English")
        .with("note", "English PhD students want EEBO training too")
        .with("tags", "eebo")
        .with("channel", "coffee");
    let saved = message(bench.intel(&bob(), english).await);
    assert!(saved.content.ends_with("Told <@101> (follow-up #1)."), "{}", saved.content);
    let dms = bench.posted.dms();
    assert_eq!(dms.len(), 1);
    assert!(dms[0].1.content.contains("(English, Coffee, today)"), "{}", dms[0].1.content);
}
