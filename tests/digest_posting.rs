//! The weekly digest and follow-up reminders end to end: the real serenity client posting to the
//! fake Discord on 127.0.0.1, on a real SQLite database, with the scheduler driven by a fixed
//! clock. Assertions are on what the fake received and on the database.

mod support;

use std::sync::Arc;

use serde_json::{json, Value};
use tempfile::TempDir;

use liaison::config::Config;
use liaison::discord::post::DiscordPoster;
use liaison::domain::ids::GuildId as OurGuild;
use liaison::domain::privacy::Share;
use liaison::store::Store;
use support::bot::*;
use support::fake_discord::{FakeDiscord, GUILD_ID};
use support::payloads::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posted_messages_carry_the_chart_and_suppress_mentions() {
    use liaison::message::{Embed, Image, Message};
    use liaison::service::poster::{File, Poster};
    let fake = FakeDiscord::start(TOKEN).await;
    let poster = DiscordPoster(Arc::new(fake.http()));
    let first = Message {
        embeds: vec![Embed {
            title: "Digest @everyone".into(),
            image: Some(Image::Attachment("chart.png".into())),
            ..Embed::default()
        }],
        ..Message::default()
    };
    let second =
        Message { embeds: vec![Embed { title: "Part 2".into(), ..Embed::default() }], ..Message::default() };
    let png = vec![0x89, b'P', b'N', b'G', 1, 2, 3];
    let chart = File { name: "chart.png".into(), bytes: png.clone() };
    let one = poster.post(4242, first, Some(chart)).await.unwrap();
    let two = poster.post(4242, second, None).await.unwrap();
    assert_ne!(one, two);
    let posts = fake.requests_matching("POST", "/channels/4242/messages");
    assert_eq!(posts.len(), 2);
    let files = posts[0].files();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].filename.as_deref(), Some("chart.png"));
    assert_eq!(files[0].bytes, png);
    let payload = posts[0].payload().unwrap();
    assert_eq!(payload["embeds"][0]["image"]["url"], "attachment://chart.png");
    assert_eq!(payload["allowed_mentions"]["parse"], json!([]));
    assert!(posts[1].files().is_empty(), "the chart goes with the first message only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_set_the_digest_and_everyone_can_see_it() {
    let mut bot = Bot::start().await;
    let show = bot.send(&slash_command("settings", vec![subcommand("show", vec![])], &Who::alice())).await;
    let t = text(&show);
    assert!(t.contains("defaults from the config") && t.contains("Monday at 09:00 (Europe/London)"), "{t}");
    assert!(t.contains("not chosen yet"), "{t}");

    let set =
        |who: &Who, options: Vec<Value>| slash_command("settings", vec![subcommand("digest", options)], who);
    let refused = bot.send(&set(&Who::alice(), vec![opt_str("time", "10:00")])).await;
    assert!(text(&refused).contains("Only server admins"), "{refused}");
    let no_channel = bot.send(&set(&Who::manager(), vec![opt_str("time", "10:00")])).await;
    assert!(text(&no_channel).contains("Choose the channel"), "{no_channel}");
    let bad_time = bot
        .send(&set(&Who::manager(), vec![opt_channel("channel", 555, "digest"), opt_str("time", "25:99")]))
        .await;
    assert!(text(&bad_time).contains("not a time"), "{bad_time}");

    let zones = bot
        .send(&autocomplete(
            "settings",
            vec![subcommand("digest", vec![opt_focused("timezone", "new_y")])],
            &Who::manager(),
        ))
        .await;
    assert_eq!(zones["data"]["choices"][0]["value"], "America/New_York");

    let saved = bot
        .send(&set(
            &Who::manager(),
            vec![
                opt_channel("channel", 555, "digest"),
                opt_str("weekday", "friday"),
                opt_str("time", "16:30"),
                opt_str("timezone", "America/New_York"),
            ],
        ))
        .await;
    let t = text(&saved);
    assert!(
        t.contains("Digest settings saved")
            && t.contains("<#555>")
            && t.contains("Friday at 16:30 (America/New_York)"),
        "{t}"
    );
    let stored = bot.store.digest_settings(OurGuild(GUILD_ID)).await.unwrap().unwrap();
    assert_eq!((stored.channel, stored.enabled), (555, true));
    mentions_suppressed(&saved);

    let off = bot.send(&set(&Who::manager(), vec![opt_bool("enabled", false)])).await;
    assert!(text(&off).contains("Digest: off"), "{off}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_digests_are_posted_once_per_period_through_restarts_failures_and_downtime() {
    use liaison::service::digest_runs::{run_due, Outcome};
    use support::fake_discord::Failure;

    let Scheduling { fake, poster, dir, config, store } = Scheduling::start().await;
    let guild = OurGuild(GUILD_ID);
    for (day, note) in [(17, "EEBO training"), (19, "Reading lists")] {
        capture_as(store.as_ref(), &config, &Who::alice(), "History", note, at(11, day, 12, 0), None).await;
    }
    let posts = || fake.requests_matching("POST", "/channels/555/messages").len();

    // Just after Monday 23 November 09:00 London: week 47 goes out, with its chart.
    let out = run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 0) + chrono::Duration::seconds(30))
        .await
        .unwrap();
    assert!(matches!(out[..], [Outcome::Posted { late: false, .. }]), "{out:?}");
    let first = posts();
    assert!(first >= 1);
    let sent = fake.requests_matching("POST", "/channels/555/messages");
    assert_eq!(sent[0].files().len(), 1, "the chart is attached");
    assert!(sent[0].payload().unwrap()["embeds"][0]["title"].as_str().unwrap().contains("Week 47"));

    // Again a minute later, and after a restart (a new store on the same file): nothing more.
    let out = run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 1)).await.unwrap();
    assert!(matches!(out[..], [Outcome::AlreadyTaken { .. }]), "{out:?}");
    store.close().await;
    let store = open(dir.path()).await;
    run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 5)).await.unwrap();
    assert_eq!(posts(), first, "posted once");

    // Next week Discord fails twice: retried after one minute, then after two, then posted once.
    fake.fail_next("POST", "/channels/555/messages", Failure::Status(500));
    fake.fail_next("POST", "/channels/555/messages", Failure::Status(502));
    let out = run_due(store.as_ref(), &config, &poster, at(11, 30, 9, 0)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Failed { .. }]), "{out:?}");
    let out = run_due(store.as_ref(), &config, &poster, at(11, 30, 9, 1)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Failed { .. }]), "{out:?}");
    let out = run_due(store.as_ref(), &config, &poster, at(11, 30, 9, 2)).await.unwrap();
    assert!(matches!(out[..], [Outcome::AlreadyTaken { .. }]), "backing off: {out:?}");
    let after_failures = posts();
    let out = run_due(store.as_ref(), &config, &poster, at(11, 30, 9, 3)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Posted { .. }]), "{out:?}");
    let second = posts();
    assert!(second > after_failures);
    run_due(store.as_ref(), &config, &poster, at(11, 30, 9, 4)).await.unwrap();
    assert_eq!(posts(), second);

    // The bot is down for three weeks: one digest, for the latest period, marked late.
    let out = run_due(store.as_ref(), &config, &poster, at(12, 21, 12, 0)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Posted { late: true, .. }]), "{out:?}");
    let late = fake.requests_matching("POST", "/channels/555/messages");
    let title = late[second].payload().unwrap()["embeds"][0]["title"].as_str().unwrap().to_string();
    assert!(title.contains("Week 51") && title.contains("posted late"), "{title}");
    let due = at(12, 21, 9, 0).timestamp();
    let note = late[second].payload().unwrap()["content"].as_str().unwrap_or_default().to_string();
    assert_eq!(note, format!("This digest is late: it was due <t:{due}:f>."));
    let third = posts();
    run_due(store.as_ref(), &config, &poster, at(12, 21, 13, 0)).await.unwrap();
    assert_eq!(posts(), third, "and only once");

    // The channel starts refusing the bot: no retrying forever; the digest is turned off and the
    // reason kept for admins.
    fake.fail_next("POST", "/channels/555/messages", Failure::Status(403));
    let out = run_due(store.as_ref(), &config, &poster, at(12, 28, 9, 0)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Stopped { .. }]), "{out:?}");
    let stopped = store.digest_settings(guild).await.unwrap().unwrap();
    assert!(!stopped.enabled);
    assert!(stopped.problem.as_deref().is_some_and(|p| p.contains("403")), "{stopped:?}");
    let out = run_due(store.as_ref(), &config, &poster, at(12, 28, 9, 5)).await.unwrap();
    assert!(out.is_empty(), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_preview_shows_this_week_privately() {
    let mut bot = Bot::start().await;
    bot.send(&slash_command("intel", note_in("History", "Three PhD students asked for EEBO"), &Who::alice()))
        .await;
    let preview = bot
        .send(&slash_command(
            "digest",
            vec![subcommand("preview", vec![opt_str("period", "this-week")])],
            &Who::bob(),
        ))
        .await;
    assert!(is_ephemeral(&preview));
    mentions_suppressed(&preview);
    let t = text(&preview);
    assert!(t.contains("Liaison digest") && t.contains("History"), "{t}");
    let last = bot.send(&slash_command("digest", vec![subcommand("preview", vec![])], &Who::bob())).await;
    assert!(text(&last).contains("Liaison digest"), "{last}");
    bot.stop().await;
}

// ------------------------------------------------------------------------------------------
// Shared set-up for the scheduler tests below: a fixed clock and a guild posting on Mondays.

fn at(month: u32, d: u32, h: u32, m: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc.with_ymd_and_hms(2026, month, d, h, m, 0).unwrap()
}

/// Mondays at 09:00 London into channel 555, empty weeks included.
fn mondays(guild: OurGuild) -> liaison::domain::digest_settings::DigestSettings {
    liaison::domain::digest_settings::DigestSettings {
        guild,
        channel: 555,
        weekday: chrono::Weekday::Mon,
        time: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        timezone: chrono_tz::Europe::London,
        enabled: true,
        post_empty_weeks: true,
        problem: None,
    }
}

/// The scheduler's world without the gateway: the fake's REST API, a database whose guild posts
/// on Mondays, and the shipped config.
struct Scheduling {
    fake: FakeDiscord,
    poster: DiscordPoster,
    dir: TempDir,
    config: Config,
    store: Arc<dyn Store>,
}

impl Scheduling {
    async fn start() -> Scheduling {
        let fake = FakeDiscord::start(TOKEN).await;
        let poster = DiscordPoster(Arc::new(fake.http()));
        let dir = TempDir::new().unwrap();
        let store = open(dir.path()).await;
        store.save_digest_settings(&mondays(OurGuild(GUILD_ID)), at(11, 1, 0, 0)).await.unwrap();
        Scheduling { fake, poster, dir, config: Config::load(&shipped_config()).unwrap(), store }
    }
}

/// Captures a note by `who` at `when`, with a follow-up (owned by `who`) due on `due`.
async fn capture_as(
    store: &dyn Store,
    config: &Config,
    who: &Who,
    department: &str,
    note: &str,
    when: chrono::DateTime<chrono::Utc>,
    due: Option<&str>,
) -> liaison::domain::entry::Entry {
    capture_shared(store, config, who, department, note, when, due, Share::default()).await
}

/// [`capture_as`], shared with the team or kept private.
#[allow(clippy::too_many_arguments)]
async fn capture_shared(
    store: &dyn Store,
    config: &Config,
    who: &Who,
    department: &str,
    note: &str,
    when: chrono::DateTime<chrono::Utc>,
    due: Option<&str>,
    share: Share,
) -> liaison::domain::entry::Entry {
    use liaison::service::capture::{capture, CaptureRequest};
    let request = CaptureRequest {
        also_departments: Vec::new(),
        partners: Vec::new(),
        guild: OurGuild(GUILD_ID),
        author: liaison::domain::entry::Author {
            id: liaison::domain::ids::UserId(who.user_id),
            name: who.username.clone(),
        },
        department: config.rules.departments.resolve(department).unwrap().clone(),
        channel: None,
        note: note.into(),
        tags: None,
        when: None,
        follow_up: due.map(str::to_string),
        source: None,
        share,
    };
    capture(store, &config.rules, request, when).await.unwrap()
}

/// Issue 13, end to end: the digest posted to the channel quotes and names only what the server
/// shares (`/settings digest excerpts names`), and never quotes a private entry, though it counts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_posted_digest_quotes_and_names_only_what_the_server_shares_and_never_a_private_note() {
    use liaison::domain::privacy::PrivacySettings;
    use liaison::service::digest_runs::run_due;

    // `_dir` holds the database's temp dir for the whole test.
    let Scheduling { fake, poster, config, store, dir: _dir } = Scheduling::start().await;
    let guild = OurGuild(GUILD_ID);
    let (alice, bob) = (Who::alice(), Who::bob());
    let posted = |from: usize| -> (usize, String) {
        let sent = fake.requests_matching("POST", "/channels/555/messages");
        let text = sent[from..].iter().filter_map(|r| r.payload()).map(|p| p.to_string()).collect();
        (sent.len(), text)
    };

    // Week 47, with excerpts and names off.
    capture_as(
        store.as_ref(),
        &config,
        &alice,
        "History",
        "Walrus ivory catalogue query",
        at(11, 17, 12, 0),
        Some("2026-11-27"),
    )
    .await;
    capture_shared(
        store.as_ref(),
        &config,
        &bob,
        "Law",
        "Student appeal held in confidence",
        at(11, 18, 12, 0),
        None,
        Share::Private,
    )
    .await;
    let closed = PrivacySettings { excerpts: false, names: false, ..PrivacySettings::defaults(guild) };
    store.save_privacy_settings(&closed, at(11, 1, 0, 0)).await.unwrap();
    let out = run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 1)).await.unwrap();
    let (seen, week47) = posted(0);
    assert!(seen > 0, "{out:?}");
    let alice_id = alice.user_id.to_string();
    assert!(week47.contains("Week 47") && week47.contains("History") && week47.contains("Law"), "{week47}");
    for hidden in ["Walrus", "appeal", "Alice", "alice", "Bob", "bob", alice_id.as_str(), "<@"] {
        assert!(
            !week47.contains(hidden),
            "{hidden:?} in a digest that shares no excerpts or names: {week47}"
        );
    }

    // Week 48, everything shared again: the team's note is quoted with its author; the private
    // one is still only counted.
    store.save_privacy_settings(&PrivacySettings::defaults(guild), at(11, 24, 0, 0)).await.unwrap();
    capture_as(
        store.as_ref(),
        &config,
        &alice,
        "History",
        "Reading list review for HIST101",
        at(11, 24, 12, 0),
        None,
    )
    .await;
    capture_shared(
        store.as_ref(),
        &config,
        &bob,
        "Law",
        "Second confidential matter",
        at(11, 25, 12, 0),
        None,
        Share::Private,
    )
    .await;
    run_due(store.as_ref(), &config, &poster, at(11, 30, 9, 1)).await.unwrap();
    let (_, week48) = posted(seen);
    assert!(
        week48.contains("Week 48") && week48.contains("Reading list review") && week48.contains("alice"),
        "{week48}"
    );
    assert!(!week48.contains("confidential"), "a private note quoted: {week48}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_that_fails_part_way_resumes_after_the_last_part_posted() {
    use liaison::service::digest_runs::{run_due, Outcome};
    use support::fake_discord::Failure;

    let Scheduling { fake, poster, dir: _dir, config, store } = Scheduling::start().await;
    let guild = OurGuild(GUILD_ID);
    // Thirty departments with long notes: a digest of several messages.
    let departments: Vec<String> = config.rules.departments.iter().map(|d| d.name().to_string()).collect();
    for (i, department) in departments.iter().enumerate() {
        for n in 0..3 {
            let note = format!("Note {n} from {department}: {}", "long enough to fill a field. ".repeat(40));
            capture_as(
                store.as_ref(),
                &config,
                &Who::alice(),
                department,
                &note,
                at(11, 16 + (i as u32 % 6), 12, n),
                None,
            )
            .await;
        }
    }
    let path = "/channels/555/messages";
    // The first two messages go out, the third fails.
    fake.fail_after(2, "POST", path, Failure::Status(500));
    let out = run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 0)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Failed { .. }]), "{out:?}");
    let run = store
        .digest_run(guild, chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.message_ids.len(), 2, "the parts posted are recorded");
    assert!(run.sent_at.is_none());

    // A minute later the retry starts at the third part.
    let out = run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 1)).await.unwrap();
    let [Outcome::Posted { messages, resumed_after: 2, .. }] = out[..] else { panic!("{out:?}") };
    assert!(messages >= 1);
    let requests = fake.requests_matching("POST", path);
    assert_eq!(requests.len(), 2 + 1 + messages, "two, the failed third, then the rest once");
    let payloads: Vec<Value> = requests.iter().map(|r| r.payload().unwrap().clone()).collect();
    assert_eq!(payloads[3], payloads[2], "the retry starts with the part that failed");
    assert!(!payloads[3..].contains(&payloads[0]) && !payloads[3..].contains(&payloads[1]), "no part twice");
    assert_eq!(requests[0].files().len(), 1, "the chart went with the first part");
    assert!(requests[3..].iter().all(|r| r.files().is_empty()), "and is not sent again");
    let run = store
        .digest_run(guild, chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.message_ids.len(), 2 + messages);
    assert!(run.sent_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_post_the_digest_now_once_through_the_same_claim() {
    use chrono::Utc;
    use liaison::service::digest_runs::{run_due, Outcome};
    use support::fake_discord::Failure;

    let bot = Bot::start().await;
    let guild = OurGuild(GUILD_ID);
    let post_now = || slash_command("digest", vec![subcommand("post-now", vec![])], &Who::manager());
    let refused =
        bot.send(&slash_command("digest", vec![subcommand("post-now", vec![])], &Who::alice())).await;
    assert!(text(&refused).contains("Only server admins"), "{refused}");
    let no_channel = bot.send(&post_now()).await;
    assert!(text(&no_channel).contains("no digest channel"), "{no_channel}");

    bot.store.save_digest_settings(&mondays(guild), Utc::now()).await.unwrap();
    let posts = || bot.fake.requests_matching("POST", "/channels/555/messages");
    // Discord fails the first try: the admin is told, and may try again at once (the scheduler
    // would wait out its backoff).
    bot.fake.fail_next("POST", "/channels/555/messages", Failure::Status(500));
    let failed = bot.send(&post_now()).await;
    assert!(is_ephemeral(&failed));
    assert!(text(&failed).contains("did not take the digest"), "{failed}");
    let posted = bot.send(&post_now()).await;
    let t = text(&posted);
    assert!(t.contains("Posted the digest for Week") && t.contains("<#555>"), "{t}");
    mentions_suppressed(&posted);
    let count = posts().len();
    assert!(count >= 2, "the failed try and the post");

    let again = bot.send(&post_now()).await;
    let t = text(&again);
    assert!(t.contains("already posted") && t.contains("https://discord.com/channels/"), "{t}");
    let out = run_due(bot.store.as_ref(), &bot.config, &DiscordPoster(Arc::new(bot.fake.http())), Utc::now())
        .await
        .unwrap();
    assert!(matches!(out[..], [Outcome::AlreadyTaken { .. }]), "{out:?}");
    assert_eq!(posts().len(), count, "neither the command nor the schedule posts it twice");
}

#[test]
fn the_command_line_posts_the_digest_through_the_bots_client() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeDiscord::start(TOKEN));
    let dir = TempDir::new().unwrap();
    let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
    runtime.block_on(async {
        let store = liaison::store::connect(&url).await.unwrap();
        store.save_digest_settings(&mondays(OurGuild(GUILD_ID)), chrono::Utc::now()).await.unwrap();
        store.close().await;
    });
    let post = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", fake.api_base())
            .args(["--config", &shipped_config().display().to_string(), "--database", &url])
            .args(["--guild", &GUILD_ID.to_string(), "digest", "--post"])
            .output()
            .unwrap()
    };
    let first = post();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{stdout}{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout.contains("Posted the digest for Week") && stdout.contains("channel 555"), "{stdout}");
    let posted = fake.requests_matching("POST", "/channels/555/messages").len();
    assert!(posted >= 1);
    let second = post();
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("already posted"));
    assert_eq!(fake.requests_matching("POST", "/channels/555/messages").len(), posted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_are_reminded_by_dm_once_on_the_due_date_and_closed_dms_are_told_only_to_the_owner() {
    use liaison::domain::entry::FollowUpStatus;
    use liaison::service::reminders::{run_due, Outcome};
    use support::fake_discord::Failure;
    use support::ids::dm_channel_id;

    let mut bot = Bot::start().await;
    let guild = OurGuild(GUILD_ID);
    let poster = DiscordPoster(Arc::new(bot.fake.http()));
    let config = bot.config.clone();
    bot.store.save_digest_settings(&mondays(guild), at(11, 1, 0, 0)).await.unwrap();
    let store = bot.store.clone();
    let capture = |who: Who, department: &'static str, note: &'static str, due: &'static str| {
        let (store, config) = (store.clone(), config.clone());
        async move {
            capture_as(store.as_ref(), &config, &who, department, note, at(11, 20, 12, 0), Some(due)).await
        }
    };
    let alices = capture(Who::alice(), "History", "Send the EEBO guide", "2026-11-25").await;
    let closed = capture(Who::bob(), "History", "Already sorted", "2026-11-25").await;
    bot.store.set_follow_up_done(guild, closed.id, Some(at(11, 21, 10, 0))).await.unwrap();
    let bobs = capture(Who::bob(), "Law", "Book the law librarian", "2026-11-26").await;

    let alice_dm = format!("/channels/{}/messages", dm_channel_id(Who::alice().user_id));
    let bob_dm = format!("/channels/{}/messages", dm_channel_id(Who::bob().user_id));

    // Not before the digest's time of day on the due date.
    let out = run_due(bot.store.as_ref(), &config, &poster, at(11, 25, 8, 59)).await.unwrap();
    assert!(out.is_empty(), "{out:?}");
    let out = run_due(bot.store.as_ref(), &config, &poster, at(11, 25, 9, 0)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Sent(k)] if k.entry == alices.id), "only the open one: {out:?}");
    let sent = bot.fake.requests_matching("POST", &alice_dm);
    assert_eq!(sent.len(), 1);
    let dm = sent[0].payload().unwrap().clone();
    assert!(dm["content"].as_str().unwrap().contains(&format!("#{}", alices.id)), "{dm}");
    assert_eq!(dm["allowed_mentions"]["parse"], json!([]));
    let done_id = dm["components"][0]["components"][0]["custom_id"].as_str().unwrap().to_string();
    assert_eq!(done_id, format!("remind:{GUILD_ID}:{}", alices.id));

    // Once per due date: not a minute later, nor from another store on the same database (a
    // restart, or a second process).
    run_due(bot.store.as_ref(), &config, &poster, at(11, 25, 9, 1)).await.unwrap();
    let other = open(bot.dir.path()).await;
    let out = run_due(other.as_ref(), &config, &poster, at(11, 25, 17, 0)).await.unwrap();
    assert!(out.is_empty(), "{out:?}");
    other.close().await;
    assert_eq!(bot.fake.requests_matching("POST", &alice_dm).len(), 1);

    // Done, pressed in the DM by someone else, is refused; by Alice, it closes the follow-up.
    let message = bot_message(dm_channel_id(Who::alice().user_id), "Reminder");
    let forged = bot.send(&button_click(&done_id, message.clone(), &Who::bob().in_dm())).await;
    assert!(text(&forged).contains("only the follow-up's owner"), "{forged}");
    let pressed = bot.send(&button_click(&done_id, message, &Who::alice().in_dm())).await;
    assert_eq!(pressed["type"], 7, "the reminder is updated in place: {pressed}");
    assert!(text(&pressed).contains("is closed"), "{pressed}");
    let entry = bot.entry(alices.id.0).await.unwrap();
    assert_eq!(entry.follow_up.unwrap().status, FollowUpStatus::Done);

    // Bob's DMs are closed: no retrying; the digest's channel is not told, Bob is, privately.
    bot.fake.fail_next(
        "POST",
        &bob_dm,
        Failure::Discord { status: 403, code: 50007, message: "Cannot send messages to this user".into() },
    );
    let out = run_due(bot.store.as_ref(), &config, &poster, at(11, 26, 9, 0)).await.unwrap();
    assert!(matches!(&out[..], [Outcome::Undeliverable { key, .. }] if key.entry == bobs.id), "{out:?}");
    let out = run_due(bot.store.as_ref(), &config, &poster, at(11, 26, 10, 0)).await.unwrap();
    assert!(out.is_empty(), "{out:?}");

    let digests =
        liaison::service::digest_runs::run_due(bot.store.as_ref(), &config, &poster, at(11, 30, 9, 0))
            .await
            .unwrap();
    assert_eq!(digests.len(), 1, "{digests:?}");
    let posted = bot.fake.requests_matching("POST", "/channels/555/messages");
    let fields: Vec<Value> = posted
        .iter()
        .flat_map(|r| r.payload().unwrap()["embeds"].as_array().cloned().unwrap_or_default())
        .flat_map(|e| e["fields"].as_array().cloned().unwrap_or_default())
        .collect();
    assert!(!fields.is_empty(), "a digest was posted: {posted:?}");
    let said: String = posted.iter().map(|r| r.payload().unwrap().to_string()).collect();
    assert!(!said.contains("DMs closed") && !said.contains("reminded by DM"), "{said}");

    // Bob's next command answers privately and tells him, once; Alice is not told of his.
    let told = format!("I could not send you a reminder by DM for entry #{}", bobs.id);
    let alices_reply = bot.send(&slash_command("followups", vec![], &Who::alice())).await;
    assert!(!text(&alices_reply).contains("could not send you"), "{alices_reply}");
    let first = bot.send(&slash_command("followups", vec![], &Who::bob())).await;
    assert!(is_ephemeral(&first) && text(&first).contains(&told), "{first}");
    mentions_suppressed(&first);
    let second = bot.send(&slash_command("followups", vec![], &Who::bob())).await;
    assert!(!text(&second).contains("could not send you"), "once: {second}");
    bot.stop().await;
}

/// The two crashes the README names, with a real process killed (SIGKILL) at each point: the
/// claim taken but nothing posted (nothing is lost: posted once, after the lease), and the post
/// made but not marked sent (the one duplicate the design allows: at least once).
#[test]
fn a_process_killed_mid_post_loses_nothing_and_can_at_worst_post_twice() {
    use chrono::{Datelike, Duration, Utc};
    use liaison::service::digest_runs::{run_due, Outcome, LEASE};
    use support::fake_discord::Hold;

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeDiscord::start(TOKEN));
    let dir = TempDir::new().unwrap();
    let url = format!("sqlite://{}", dir.path().join("liaison.db").display());
    let config = Config::load(&shipped_config()).unwrap();
    let (first, second) = (OurGuild(GUILD_ID), OurGuild(GUILD_ID + 1));
    // Due three days ago, next due in four: the period stays the same for the whole test.
    let now = Utc::now();
    let weekday = (now - Duration::days(3)).with_timezone(&chrono_tz::Europe::London).weekday();
    let store = runtime.block_on(async {
        let store = liaison::store::connect(&url).await.unwrap();
        for (guild, channel) in [(first, 555), (second, 556)] {
            let settings =
                liaison::domain::digest_settings::DigestSettings { channel, weekday, ..mondays(guild) };
            store.save_digest_settings(&settings, now).await.unwrap();
        }
        store
    });
    let kill_while_posting = |guild: OurGuild, channel: u64, hold: Hold| {
        let path = format!("/channels/{channel}/messages");
        fake.hold_next("POST", &path, hold);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", fake.api_base())
            .args(["--config", &shipped_config().display().to_string(), "--database", &url])
            .args(["--guild", &guild.0.to_string(), "digest", "--post"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let seen = runtime.block_on(fake.wait_for_request(|r| r.matches("POST", &path), WAIT));
        assert!(seen.is_some(), "the process got as far as posting");
        child.kill().unwrap();
        child.wait().unwrap();
    };
    let created = |channel: u64| {
        let path = format!("/channels/{channel}/messages");
        fake.requests_matching("POST", &path).iter().filter(|r| r.status == 200).count()
    };
    let poster = DiscordPoster(Arc::new(fake.http()));
    let run = |at| runtime.block_on(run_due(store.as_ref(), &config, &poster, at)).unwrap();

    kill_while_posting(first, 555, Hold::BeforeEffect);
    kill_while_posting(second, 556, Hold::AfterEffect);
    assert_eq!((created(555), created(556)), (0, 1));

    // While the dead process's claims last, nobody posts.
    let out = run(now + Duration::minutes(1));
    assert!(out.iter().all(|o| matches!(o, Outcome::AlreadyTaken { .. })), "{out:?}");
    // Once they lapse: the first guild's digest is posted, once; the second guild's is posted
    // again, since nothing recorded that Discord had it.
    let out = run(now + LEASE + Duration::minutes(1));
    assert!(out.iter().all(|o| matches!(o, Outcome::Posted { .. })), "{out:?}");
    assert_eq!((created(555), created(556)), (1, 2));
    let out = run(now + LEASE + Duration::minutes(2));
    assert!(out.iter().all(|o| matches!(o, Outcome::AlreadyTaken { .. })), "{out:?}");
    assert_eq!((created(555), created(556)), (1, 2));
    runtime.block_on(store.close());
}

/// A poster through which an admin changes the digest's settings while the post is in flight,
/// before Discord refuses it.
struct AdminChangesMeanwhile {
    inner: DiscordPoster,
    store: Arc<dyn Store>,
    change: liaison::domain::digest_settings::DigestSettings,
}

#[async_trait::async_trait]
impl liaison::service::poster::Poster for AdminChangesMeanwhile {
    async fn post(
        &self,
        channel: u64,
        message: liaison::message::Message,
        file: Option<liaison::service::poster::File>,
    ) -> Result<u64, liaison::service::poster::PostError> {
        self.store.save_digest_settings(&self.change, at(12, 7, 9, 0)).await.unwrap();
        self.inner.post(channel, message, file).await
    }

    async fn remind(
        &self,
        entry: &liaison::domain::entry::Entry,
        department: &str,
        dates: liaison::domain::date_style::DateStyle,
    ) -> Result<u64, liaison::service::poster::PostError> {
        self.inner.remind(entry, department, dates).await
    }

    fn markup(&self) -> &dyn liaison::message::Markup {
        self.inner.markup()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_channel_never_undoes_an_admins_change_made_while_posting() {
    use liaison::service::digest_runs::{run_due, Outcome};
    use support::fake_discord::Failure;

    let Scheduling { fake, poster, dir: _dir, config, store } = Scheduling::start().await;
    let guild = OurGuild(GUILD_ID);
    let change = liaison::domain::digest_settings::DigestSettings {
        channel: 556,
        time: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        ..mondays(guild)
    };
    let poster = AdminChangesMeanwhile { inner: poster, store: store.clone(), change: change.clone() };
    fake.fail_next("POST", "/channels/555/messages", Failure::Status(403));
    let out = run_due(store.as_ref(), &config, &poster, at(12, 7, 9, 0)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Stopped { .. }]), "{out:?}");
    assert_eq!(store.digest_settings(guild).await.unwrap(), Some(change), "the admin's change stands");
}

/// Writes to the database file behind the store's back, as a hand edit or an older version would.
async fn write_behind(dir: &std::path::Path, sql: &str) {
    use sqlx::{Connection, Executor};
    let url = format!("sqlite://{}", dir.join("liaison.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    conn.execute(sql).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_guilds_failure_never_stops_another_guilds_digest_or_reminders() {
    use liaison::service::{digest_runs, reminders};

    let Scheduling { fake, poster, dir, config, store } = Scheduling::start().await;
    let (ours, other) = (OurGuild(GUILD_ID), OurGuild(GUILD_ID + 1));
    let other_sql = liaison::store::ids::guild(other);
    store
        .save_digest_settings(
            &liaison::domain::digest_settings::DigestSettings { channel: 556, ..mondays(other) },
            at(11, 1, 0, 0),
        )
        .await
        .unwrap();
    let due = Some("2026-11-25");
    let mine =
        capture_as(store.as_ref(), &config, &Who::alice(), "History", "EEBO guide", at(11, 20, 12, 0), due)
            .await;
    let theirs =
        capture_as(store.as_ref(), &config, &Who::bob(), "Law", "Law guide", at(11, 20, 12, 0), due).await;
    write_behind(dir.path(), &format!("UPDATE entries SET guild_id = {other_sql} WHERE id = {}", theirs.id))
        .await;
    // Discord fails the other guild's post. (The digest no longer reads reminders, whose
    // unreadable row used to fail it here: every other read of its week leaves a bad row out.)
    fake.fail_next("POST", "/channels/556/messages", support::fake_discord::Failure::Status(500));
    let out = digest_runs::run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 0)).await.unwrap();
    let posted =
        |g| out.iter().any(|o| matches!(o, digest_runs::Outcome::Posted { guild, .. } if *guild == g));
    let failed =
        |g| out.iter().any(|o| matches!(o, digest_runs::Outcome::Failed { guild, .. } if *guild == g));
    assert!(
        posted(ours) && failed(other) && out.len() == 2,
        "ours is posted, the other's failure kept apart: {out:?}"
    );
    assert!(!fake.requests_matching("POST", "/channels/555/messages").is_empty());
    assert!(fake.channel_messages(556).is_empty(), "nothing of the other's was posted");

    // The other guild's settings become unreadable: its reminders fail, ours still go out.
    write_behind(
        dir.path(),
        &format!("UPDATE digest_settings SET timezone = 'Mars/Olympus_Mons' WHERE guild_id = {other_sql}"),
    )
    .await;
    let out = reminders::run_due(store.as_ref(), &config, &poster, at(11, 25, 9, 0)).await.unwrap();
    assert!(matches!(out[..], [reminders::Outcome::Sent(k)] if k.entry == mine.id), "{out:?}");
    let alice_dm = format!("/channels/{}/messages", support::ids::dm_channel_id(Who::alice().user_id));
    assert_eq!(fake.requests_matching("POST", &alice_dm).len(), 1);
}

/// A member erased from their entries owns their follow-ups there no more: nobody is reminded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_members_follow_up_reminds_nobody() {
    use liaison::service::privacy::erasure::{erase_author, AuthorErasure};
    use liaison::service::reminders::run_due;

    let mut bot = Bot::start().await;
    let guild = OurGuild(GUILD_ID);
    let poster = DiscordPoster(Arc::new(bot.fake.http()));
    let config = bot.config.clone();
    bot.store.save_digest_settings(&mondays(guild), at(11, 1, 0, 0)).await.unwrap();
    let entry = capture_as(
        bot.store.as_ref(),
        &config,
        &Who::alice(),
        "History",
        "Send the EEBO guide",
        at(11, 20, 12, 0),
        Some("2026-11-25"),
    )
    .await;
    let alice = liaison::domain::ids::UserId(Who::alice().user_id);
    let n = erase_author(
        bot.store.as_ref(),
        guild,
        alice,
        AuthorErasure::Anonymise,
        false,
        "admin 1",
        at(11, 21, 9, 0),
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    let out = run_due(bot.store.as_ref(), &config, &poster, at(11, 25, 9, 0)).await.unwrap();
    assert!(out.is_empty(), "{out:?}");
    assert!(bot.fake.requests_matching("POST", "/channels/").iter().all(|r| !r.path.contains("messages")));
    let kept = bot.entry(entry.id.0).await.unwrap().follow_up.unwrap();
    assert_eq!(
        (kept.owner, kept.due.to_string()),
        (liaison::domain::ids::FORMER_MEMBER_ID, "2026-11-25".to_string())
    );
    bot.stop().await;
}

/// Issue 17, end to end: two members in different departments hear about the same thing in one
/// week, and the posted digest names the topic under "Heard across teams", right after the
/// headline, with both entries; a week of unrelated notes has no such section, and a private
/// entry about the same thing is never behind the topic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_posted_digest_shows_what_two_teams_heard_under_heard_across_teams() {
    use liaison::service::digest_runs::run_due;

    let Scheduling { fake, poster, config, store, dir: _dir } = Scheduling::start().await;
    let (alice, bob, morgan) = (Who::alice(), Who::bob(), Who::manager());
    let posted = |from: usize| -> (usize, Vec<Value>) {
        let sent = fake.requests_matching("POST", "/channels/555/messages");
        let embeds = sent[from..]
            .iter()
            .filter_map(|r| r.payload())
            .flat_map(|p| p["embeds"].as_array().cloned().unwrap_or_default())
            .collect();
        (sent.len(), embeds)
    };
    let titles = |embeds: &[Value]| -> Vec<String> {
        embeds.iter().map(|e| e["title"].as_str().unwrap_or_default().to_string()).collect()
    };

    // Week 47: unrelated notes from two departments.
    let store = store.as_ref();
    capture_as(store, &config, &alice, "History", "Reading list for HIST101", at(11, 17, 12, 0), None).await;
    capture_as(store, &config, &bob, "Law", "Walrus ivory catalogue query", at(11, 18, 12, 0), None).await;
    run_due(store, &config, &poster, at(11, 23, 9, 1)).await.unwrap();
    let (seen, week47) = posted(0);
    assert!(titles(&week47)[0].contains("Week 47"), "{week47:?}");
    assert!(!titles(&week47).iter().any(|t| t.contains("Heard across teams")), "{week47:?}");

    // Week 48: History and Law both hear about EEBO access; a colleague's private note too.
    let first = capture_as(
        store,
        &config,
        &alice,
        "History",
        "Asked about EEBO access for the MA",
        at(11, 24, 12, 0),
        None,
    )
    .await;
    let second =
        capture_as(store, &config, &bob, "Law", "Trouble with EEBO access again", at(11, 25, 12, 0), None)
            .await;
    let private = capture_shared(
        store,
        &config,
        &morgan,
        "Archaeology",
        "EEBO access from home fails",
        at(11, 26, 12, 0),
        None,
        Share::Private,
    )
    .await;
    run_due(store, &config, &poster, at(11, 30, 9, 1)).await.unwrap();
    let (_, week48) = posted(seen);
    let titles48 = titles(&week48);
    assert!(titles48[0].contains("Week 48"), "{titles48:?}");
    assert_eq!(titles48[1], "Heard across teams", "first after the headline: {titles48:?}");
    let topic = &week48[1]["fields"][0];
    let name = topic["name"].as_str().unwrap();
    let value = topic["value"].as_str().unwrap();
    assert_eq!(name, "EEBO access · new · 2 entries", "{topic}");
    let lines: Vec<&str> = value.lines().collect();
    assert_eq!(
        lines,
        [format!("• **#{}** alice · History", first.id), format!("• **#{}** bob · Law", second.id)],
        "{topic}"
    );
    assert!(!value.contains(&format!("#{}", private.id)) && !value.contains("morgan"), "{topic}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_posted_before_a_settings_move_is_not_posted_again_by_the_new_database() {
    use liaison::service::digest_runs::{run_due, Outcome};
    use liaison::service::settings_moves::{self, ServerSettings};

    let Scheduling { fake, poster, dir: _dir, config, store } = Scheduling::start().await;
    let guild = OurGuild(GUILD_ID);
    capture_as(store.as_ref(), &config, &Who::alice(), "History", "EEBO training", at(11, 17, 12, 0), None)
        .await;
    let posts = || fake.requests_matching("POST", "/channels/555/messages").len();
    let out = run_due(store.as_ref(), &config, &poster, at(11, 23, 9, 1)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Posted { .. }]), "{out:?}");
    let posted = posts();

    // The move, the next day, into a new database; and, to show what the record of the week
    // prevents, into another without it.
    let moving = at(11, 24, 10, 0);
    let moved = settings_moves::read(store.as_ref(), guild, moving).await.unwrap();
    assert_eq!(moved.digests_sent.len(), 1, "{moved:?}");
    let (new_dir, bare_dir) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let (new, bare) = (open(new_dir.path()).await, open(bare_dir.path()).await);
    let plan = settings_moves::plan(new.as_ref(), &moved, moving).await.unwrap();
    settings_moves::apply(new.as_ref(), &plan, moving).await.unwrap();
    let without = ServerSettings { digests_sent: Vec::new(), ..moved.clone() };
    let plan = settings_moves::plan(bare.as_ref(), &without, moving).await.unwrap();
    settings_moves::apply(bare.as_ref(), &plan, moving).await.unwrap();

    let out = run_due(new.as_ref(), &config, &poster, at(11, 24, 10, 1)).await.unwrap();
    assert!(matches!(out[..], [Outcome::AlreadyTaken { .. }]), "{out:?}");
    assert_eq!(posts(), posted, "the week the old database posted is not posted again");
    let week = moved.digests_sent[0].period_start;
    let old_run = store.digest_run(guild, week).await.unwrap().unwrap();
    let new_run = new.digest_run(guild, week).await.unwrap().unwrap();
    assert_eq!((new_run.sent_at, new_run.message_ids), (old_run.sent_at, old_run.message_ids));

    let out = run_due(bare.as_ref(), &config, &poster, at(11, 24, 10, 1)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Posted { late: true, .. }]), "{out:?}");
    assert!(posts() > posted, "without the record, the new database posts that week again");

    let before = posts();
    let out = run_due(new.as_ref(), &config, &poster, at(11, 30, 9, 1)).await.unwrap();
    assert!(matches!(out[..], [Outcome::Posted { .. }]), "the next week goes out as usual: {out:?}");
    assert!(posts() > before);
}
