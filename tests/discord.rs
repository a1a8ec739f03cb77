//! The bot end to end: liaison's own `bot::run` with the real serenity client, against the fake
//! Discord on 127.0.0.1, on a real SQLite database in a temp dir. Assertions are on what the fake
//! received and on the database. What a command does with a request, without Discord, is
//! `tests/handlers.rs`'s.

mod support;

use std::path::Path;
use std::time::Duration;

use chrono::Utc;

use serde_json::{json, Value};
use tempfile::TempDir;

use liaison::config::Config;
use support::bot::*;
use support::fake_discord::{FakeDiscord, GUILD_ID};
use support::payloads::*;

fn full_intel(note: &str) -> Vec<Value> {
    vec![
        opt_str("department", "hist"),
        opt_str("note", note),
        opt_str("channel", "coffee"),
        opt_str("tags", "eebo, training"),
        opt_str("when", "yesterday"),
        opt_str("follow_up", "in 7 days"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_once_even_across_a_reconnect() {
    let bot = Bot::start().await;
    let puts = bot.fake.requests_matching("PUT", "/applications/");
    assert_eq!(puts.len(), 1, "one bulk overwrite");
    let names: Vec<String> =
        bot.fake.registered_commands(None).iter().map(|c| c["name"].as_str().unwrap().to_string()).collect();
    for name in [
        "intel",
        "Save as intel",
        "search",
        "entry",
        "followups",
        "stats",
        "settings",
        "digest",
        "partner",
        "event",
        "report",
    ] {
        assert!(names.contains(&name.to_string()), "{name} registered: {names:?}");
    }
    let intel = bot.fake.registered_commands(None).into_iter().find(|c| c["name"] == "intel").unwrap();
    let options: Vec<&str> =
        intel["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(
        options,
        [
            "department",
            "note",
            "channel",
            "tags",
            "when",
            "follow_up",
            "share",
            "partner",
            "partner2",
            "also_department",
            "hand_off",
            "event"
        ]
    );
    for i in [7, 8, 9] {
        assert_eq!(intel["options"][i]["autocomplete"], true, "{}", intel["options"][i]);
    }
    assert_eq!(intel["options"][10]["type"], 5, "hand_off is a boolean");
    let partner = bot.fake.registered_commands(None).into_iter().find(|c| c["name"] == "partner").unwrap();
    let subs: Vec<&str> =
        partner["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(subs, ["add", "show", "edit", "list", "merge"]);
    let shares: Vec<&str> = intel["options"][6]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(shares, ["team", "private"]);
    assert_eq!(intel["options"][0]["autocomplete"], true);
    // Channels and tags autocomplete (a channel typed anyway gets "did you mean").
    for i in [2, 3] {
        assert_eq!(intel["options"][i]["autocomplete"], true, "{}", intel["options"][i]);
        let choices = intel["options"][i]["choices"].as_array();
        assert!(choices.is_none_or(|c| c.is_empty()), "{}", intel["options"][i]);
    }

    // A dropped gateway: serenity reconnects, and nothing registers again.
    assert!(bot.fake.drop_gateway());
    bot.fake.wait_gateway(WAIT, |s| s.resumed + s.readies >= 2).await.expect("reconnects");
    let answer = bot
        .send(&slash_command("entry", vec![subcommand("show", vec![opt_int("id", 1)])], &Who::alice()))
        .await;
    assert!(text(&answer).contains("no entry #1"), "{answer}");
    assert_eq!(bot.fake.requests_matching("PUT", "/applications/").len(), 1);
    let mut bot = bot;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intel_with_every_option_saves_and_answers_privately() {
    let mut bot = Bot::start().await;
    let answer = bot
        .send(&slash_command(
            "intel",
            full_intel("Three PhD students asked for EEBO training"),
            &Who::alice(),
        ))
        .await;
    assert_eq!(answer["type"], 4);
    assert!(is_ephemeral(&answer));
    mentions_suppressed(&answer);
    let t = text(&answer);
    assert!(t.contains("Saved entry #1"), "{t}");
    assert!(
        t.contains("History") && t.contains("Coffee") && t.contains("#eebo") && t.contains("Follow-up"),
        "{t}"
    );

    let entry = bot.entry(1).await.expect("stored");
    assert_eq!(entry.department, "History");
    assert_eq!(entry.channel, "coffee");
    assert!(entry.informal);
    assert_eq!(entry.author.name, "Alice Liaison");
    let tags: Vec<&str> = entry.tags.iter().map(|t| t.as_str()).collect();
    assert_eq!(tags, ["eebo", "training"]);
    let follow_up = entry.follow_up.expect("a follow-up");
    assert_eq!(follow_up.owner.0, Who::alice().user_id);

    // A colleague in another department hears about the same thing: his private reply lists
    // Alice's as "who else heard this", with why.
    let answer = bot
        .send(&slash_command(
            "intel",
            note_in("English", "Two English postgrads want EEBO training"),
            &Who::bob(),
        ))
        .await;
    assert!(is_ephemeral(&answer));
    mentions_suppressed(&answer);
    let t = text(&answer);
    assert!(t.contains("Who else heard this") && t.contains("#1 · Alice Liaison"), "{t}");
    assert!(t.contains("> Three PhD students asked for EEBO training\nshared: EEBO, training"), "{t}");
    // Something unrelated, in Alice's own department, lists nothing.
    let answer = bot
        .send(&slash_command("intel", note_in("History", "Seminar room booked for Tuesday"), &Who::bob()))
        .await;
    let t = text(&answer);
    assert!(t.contains("Saved entry #3") && !t.contains("Who else heard this"), "{t}");
    // `/search similar:1`: the colleagues' entries most like Alice's, with the same reasons.
    let answer = bot.send(&slash_command("search", vec![opt_int("similar", 1)], &Who::bob())).await;
    assert!(is_ephemeral(&answer));
    mentions_suppressed(&answer);
    let t = text(&answer);
    assert!(
        t.contains("Like entry #1")
            && t.contains("#2 · English")
            && t.contains("Bob Enquiries · ")
            && t.contains("shared: EEBO, training"),
        "{t}"
    );
    assert!(!t.contains("Seminar room"), "{t}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intel_without_a_note_opens_a_form_and_the_submit_saves() {
    let mut bot = Bot::start().await;
    let options =
        vec![opt_str("department", "Engineering"), opt_str("channel", "desk"), opt_str("tags", "ieee")];
    let modal = bot.send(&slash_command("intel", options, &Who::alice())).await;
    assert_eq!(modal["type"], 9, "a modal: {modal}");
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    assert_eq!(modal_input(&modal, "note")["style"], 2, "a paragraph");
    assert_eq!(modal_input(&modal, "tags")["value"], "ieee");

    let submit = modal_submit(
        &custom_id,
        &[
            ("note", "Wants IEEE Xplore access, call 07700 900123"),
            ("tags", "ieee"),
            ("when", ""),
            ("follow_up", ""),
        ],
        &Who::alice(),
    );
    let answer = bot.send(&submit).await;
    let t = text(&answer);
    assert!(t.contains("Saved entry #1") && t.contains("1 item of personal data"), "{t}");
    let entry = bot.entry(1).await.unwrap();
    assert_eq!(entry.note.as_str(), "Wants IEEE Xplore access, call [phone]");
    assert_eq!(entry.department, "Engineering");
    assert_eq!(entry.channel, "desk");

    // A refused submit hands the note back to copy.
    let bad =
        modal_submit(&custom_id, &[("note", "Keep this text"), ("when", "the other day")], &Who::alice());
    let answer = bot.send(&bad).await;
    let t = text(&answer);
    assert!(t.contains("not a date I understand") && t.contains("Keep this text"), "{t}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_autocomplete_answers_from_the_catalogue() {
    let mut bot = Bot::start().await;
    let answer =
        bot.send(&autocomplete("intel", vec![opt_focused("department", "hist")], &Who::alice())).await;
    assert_eq!(answer["type"], 8);
    let choices = answer["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert_eq!(choices[0]["name"], "History");

    let misspelled =
        bot.send(&autocomplete("search", vec![opt_focused("department", "enginering")], &Who::alice())).await;
    assert_eq!(misspelled["data"]["choices"][0]["value"], "Engineering");

    let empty = bot.send(&autocomplete("intel", vec![opt_focused("department", "")], &Who::alice())).await;
    assert_eq!(empty["data"]["choices"].as_array().unwrap().len(), 25);

    // A value that was never suggested is refused with the closest names.
    let answer = bot.send(&slash_command("intel", note_in("Histroy", "x"), &Who::alice())).await;
    assert!(is_ephemeral(&answer));
    assert!(text(&answer).contains("History"), "{answer}");
    assert!(bot.entry(1).await.is_none());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_and_tag_autocomplete_answer_through_discord() {
    let mut bot = Bot::start().await;
    let channels = bot.send(&autocomplete("intel", vec![opt_focused("channel", "cof")], &Who::alice())).await;
    assert_eq!(channels["type"], 8);
    assert_eq!(channels["data"]["choices"][0]["name"], "Coffee");
    assert_eq!(channels["data"]["choices"][0]["value"], "coffee");
    let saved = bot
        .send(&slash_command(
            "intel",
            vec![opt_str("department", "Law"), opt_str("note", "x"), opt_str("tags", "westlaw, eebo")],
            &Who::alice(),
        ))
        .await;
    assert!(text(&saved).contains("Saved entry #1"), "{saved}");
    let tags = bot.send(&autocomplete("intel", vec![opt_focused("tags", "eebo, w")], &Who::alice())).await;
    assert_eq!(tags["data"]["choices"][0]["value"], "eebo, westlaw", "{tags}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_as_intel_turns_a_message_into_an_entry_with_a_link() {
    let mut bot = Bot::start().await;
    let message = user_message(&Who::bob(), "Prof. Khan says the MSc cohort can't find the reading list");
    let message_id = message["id"].as_str().unwrap().to_string();
    let modal = bot.send(&message_command("Save as intel", message, &Who::alice())).await;
    assert_eq!(modal["type"], 9);
    assert_eq!(
        modal_input(&modal, "note")["value"],
        "Prof. Khan says the MSc cohort can't find the reading list"
    );
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();

    let submit = modal_submit(
        &custom_id,
        &[
            ("note", "Prof. Khan says the MSc cohort can't find the reading list"),
            ("department", "computing"),
            ("channel", "Corridor"),
            ("tags", "reading lists, msc"),
        ],
        &Who::alice(),
    );
    let answer = bot.send(&submit).await;
    assert!(text(&answer).contains("Saved entry #1"), "{answer}");
    let entry = bot.entry(1).await.unwrap();
    assert_eq!(entry.department, "Computer Science");
    assert_eq!(entry.channel, "corridor");
    assert_eq!(entry.tags[0].as_str(), "reading-lists");
    let source = entry.source.unwrap();
    assert!(
        source.starts_with(&format!("https://discord.com/channels/{GUILD_ID}/"))
            && source.ends_with(&message_id)
    );

    // A message with no text gets a clear, private answer.
    let empty = user_message(&Who::bob(), "");
    let answer = bot.send(&message_command("Save as intel", empty, &Who::alice())).await;
    assert!(is_ephemeral(&answer));
    assert!(text(&answer).contains("no text I can save"), "{answer}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_serenity_cannot_read_still_gets_an_answer() {
    let mut bot = Bot::start().await;
    let mut message = user_message(&Who::bob(), "A message with a component type from the future");
    message["components"] = json!([{"type": 1, "components": [{"type": 99, "id": 1, "whatever": true}]}]);
    let interaction = message_command("Save as intel", message, &Who::alice());
    let answer = bot.send(&interaction).await;
    assert_eq!(answer["type"], 4);
    assert!(is_ephemeral(&answer));
    assert!(text(&answer).contains("couldn't read"), "{answer}");
    bot.stop().await;
}

/// A private capture, as Discord sends it: by the option and through the form; its text reaches
/// neither another member's search, nor their `/entry show`, nor their "who else heard this".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_capture_stays_with_its_author_and_the_admins() {
    let mut bot = Bot::start().await;
    let mut options = note_in("History", "A student's appeal about a lost thesis");
    options.push(opt_str("share", "private"));
    let answer = bot.send(&slash_command("intel", options, &Who::alice())).await;
    assert!(is_ephemeral(&answer));
    mentions_suppressed(&answer);
    assert!(text(&answer).contains("Saved entry #1 (private: only you and admins see its text)"), "{answer}");

    // Without a note, the form's id carries the share option (its slot in the form holds partners).
    let options = vec![opt_str("department", "History"), opt_str("share", "private")];
    let modal = bot.send(&slash_command("intel", options, &Who::alice())).await;
    assert_eq!(modal_input(&modal, "partners")["label"], "Partners (comma separated)");
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let submit = modal_submit(&custom_id, &[("note", "A second thesis appeal")], &Who::alice());
    assert!(text(&bot.send(&submit).await).contains("Saved entry #2 (private"));

    // Bob hears about the same thing: Alice's private entries are not who else heard this.
    let bobs = bot
        .send(&slash_command(
            "intel",
            note_in("History", "Thesis appeal question from a student"),
            &Who::bob(),
        ))
        .await;
    assert!(!text(&bobs).contains("Who else heard this") && !text(&bobs).contains("lost"), "{bobs}");
    let search =
        bot.send(&slash_command("search", vec![opt_str("query", "thesis appeal")], &Who::bob())).await;
    // Only his own: Alice's two private ones are not found.
    assert!(text(&search).contains("1 result ·") && !text(&search).contains("lost"), "{search}");
    let show = slash_command("entry", vec![subcommand("show", vec![opt_int("id", 1)])], &Who::bob());
    let refused = bot.send(&show).await;
    assert!(text(&refused).contains("no entry #1") && !text(&refused).contains("appeal"), "{refused}");

    for who in [Who::alice(), Who::admin()] {
        let found = bot.send(&slash_command("search", vec![opt_str("query", "thesis appeal")], &who)).await;
        assert!(text(&found).contains("3 results ·"), "{found}");
    }
    let entry = bot.entry(2).await.expect("stored");
    assert_eq!(entry.share, liaison::domain::privacy::Share::Private);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_pages_with_buttons_that_survive_a_restart() {
    let mut bot = Bot::start().await;
    for i in 0..12 {
        let note = format!("Interlibrary loan question number {i} from a history postgraduate");
        bot.send(&slash_command("intel", note_in("History", &note), &Who::alice())).await;
    }
    bot.send(&slash_command("intel", note_in("Law", "Westlaw outage"), &Who::bob())).await;

    let first = bot.send(&slash_command("search", vec![opt_str("query", "loan")], &Who::alice())).await;
    assert!(is_ephemeral(&first));
    mentions_suppressed(&first);
    let t = text(&first);
    assert!(t.contains("12 results · page 1 of 3"), "{t}");
    assert!(t.contains("**loan**"), "snippets highlight the match: {t}");
    assert_eq!(first["data"]["embeds"][0]["fields"].as_array().unwrap().len(), 5);
    let b = buttons(&first);
    assert_eq!((b[0].0.as_str(), b[0].2), ("Previous", true));
    assert_eq!((b[1].0.as_str(), b[1].2), ("Next", false));

    let next = bot.send(&button_click(&b[1].1, bot_message(GUILD_ID, "results"), &Who::alice())).await;
    assert_eq!(next["type"], 7, "updates the message in place");
    assert!(text(&next).contains("page 2 of 3"), "{next}");

    // Filters: department and author.
    let law = bot.send(&slash_command("search", vec![opt_str("department", "Law")], &Who::alice())).await;
    assert!(text(&law).contains("1 result ·") && text(&law).contains("Westlaw"), "{law}");
    let by_bob =
        bot.send(&slash_command("search", vec![opt_user_who("author", &Who::bob())], &Who::alice())).await;
    assert!(text(&by_bob).contains("1 result ·"), "{by_bob}");

    // After a restart, the old Next button still works.
    let next_page_3 = buttons(&next)[1].1.clone();
    bot.stop().await;
    bot.launch().await;
    let third = bot.send(&button_click(&next_page_3, bot_message(GUILD_ID, "results"), &Who::alice())).await;
    assert!(text(&third).contains("page 3 of 3"), "{third}");
    let expired =
        bot.send(&button_click("search:999999:1", bot_message(GUILD_ID, "results"), &Who::alice())).await;
    assert!(text(&expired).contains("expired"), "{expired}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_five_long_results_stay_within_the_embed_budget() {
    let mut bot = Bot::start().await;
    let long = "interlibrary ".repeat(300);
    for _ in 0..25 {
        bot.send(&slash_command("intel", note_in("History", &long), &Who::alice())).await;
    }
    // Every page the bot sends is checked by the fake against Discord's limits (a breach is a 400).
    let answer =
        bot.send(&slash_command("search", vec![opt_str("query", "interlibrary")], &Who::alice())).await;
    let total: usize = answer["data"]["embeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["title"].as_str().unwrap_or("").chars().count()
                + e["description"].as_str().unwrap_or("").chars().count()
                + e["footer"]["text"].as_str().unwrap_or("").chars().count()
                + e["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| {
                        f["name"].as_str().unwrap().chars().count()
                            + f["value"].as_str().unwrap().chars().count()
                    })
                    .sum::<usize>()
        })
        .sum();
    assert!(total <= 6000, "{total}");
    let t = text(&answer);
    assert!(t.contains('…'), "long notes are cut with an ellipsis: {t}");
    // A note that escaping makes longer than an embed description is cut, not refused.
    let marked = "*_".repeat(1999);
    bot.send(&slash_command("intel", note_in("Law", &marked), &Who::alice())).await;
    let show = bot
        .send(&slash_command("entry", vec![subcommand("show", vec![opt_int("id", 26)])], &Who::alice()))
        .await;
    assert!(show["data"]["embeds"][0]["description"].as_str().unwrap().ends_with('…'), "{show}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_message_is_refused_politely() {
    let mut bot = Bot::start().await;
    let answer = bot.send(&dm_slash_command("intel", note_in("History", "x"), &Who::alice())).await;
    assert!(is_ephemeral(&answer));
    assert!(text(&answer).contains("works inside a server"), "{answer}");
    assert!(bot.entry(1).await.is_none());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everyone_and_markdown_are_stored_but_cannot_ping_or_format() {
    let mut bot = Bot::start().await;
    let note = "@everyone look: **urgent** <@123> <@&456> [link](http://evil)";
    let answer = bot.send(&slash_command("intel", note_in("Law", note), &Who::alice())).await;
    mentions_suppressed(&answer);
    let description = answer["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(!description.contains("@everyone"), "{description}");
    assert!(
        description.contains("\\*\\*urgent\\*\\*") && description.contains("\\<@\u{200b}123\\>"),
        "{description}"
    );
    assert_eq!(bot.entry(1).await.unwrap().note.as_str(), note, "stored as typed");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_offers_the_academic_periods_and_counts_between_dates_inclusively() {
    let mut bot = Bot::start().await;
    let stats = bot.fake.registered_commands(None).into_iter().find(|c| c["name"] == "stats").unwrap();
    let options: Vec<&str> =
        stats["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(options, ["period", "since", "until", "department"]);
    let periods: Vec<&str> = stats["options"][0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["week", "month", "term", "semester", "year", "last-year", "all"]);

    for when in ["2025-09-30", "2025-10-01", "2025-10-31", "2025-11-01"] {
        let mut options = note_in("History", "Reading list review");
        options.push(opt_str("when", when));
        bot.send(&slash_command("intel", options, &Who::alice())).await;
    }
    let october = vec![opt_str("since", "2025-10-01"), opt_str("until", "31/10/2025")];
    let answer = bot.send(&slash_command("stats", october, &Who::bob())).await;
    assert!(is_ephemeral(&answer));
    mentions_suppressed(&answer);
    let t = text(&answer);
    assert!(t.starts_with("\nStatistics: 1 Oct 2025 to 31 Oct 2025\n**2** entries"), "{t}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_member_role_is_required() {
    let text_config = std::fs::read_to_string(shipped_config())
        .unwrap()
        .replace("member_roles = []", "member_roles = [\"777\"]");
    let config = Config::parse(Path::new("t.toml"), &text_config, None, None).unwrap();
    // Every command, however many the bot has now.
    let commands = liaison::discord::commands::definitions().len();
    let mut bot = Bot::start_with(config, Some(GUILD_ID)).await;
    assert_eq!(bot.fake.registered_commands(Some(GUILD_ID)).len(), commands, "registered to the guild");
    assert!(bot.fake.registered_commands(None).is_empty(), "and not globally");

    let outsider = bot.send(&slash_command("stats", vec![], &Who::alice())).await;
    assert!(text(&outsider).contains("roles this server set up"), "{outsider}");
    let insider = bot.send(&slash_command("stats", vec![], &Who::alice().with_roles(&[777]))).await;
    assert!(text(&insider).contains("Statistics"), "{insider}");
    bot.stop().await;
}

/// `/settings show` asks Discord who can see the digest channel: @everyone's permissions, each
/// role's, and the channel's overwrites, as a member holding only that role would see it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_show_warns_when_roles_that_may_not_capture_can_read_the_digest_channel() {
    use support::fake_discord::{role_json, DEFAULT_EVERYONE};
    use support::ids::channel_id;
    const VIEW: u64 = 1 << 10;
    let text_config = std::fs::read_to_string(shipped_config())
        .unwrap()
        .replace("member_roles = []", "member_roles = [\"777\"]");
    let config = Config::parse(Path::new("t.toml"), &text_config, None, None).unwrap();
    let mut bot = Bot::start_with(config, None).await;
    let digest_channel = channel_id(5);
    let settings = liaison::domain::digest_settings::DigestSettings {
        guild: liaison::domain::ids::GuildId(GUILD_ID),
        channel: digest_channel,
        weekday: chrono::Weekday::Mon,
        time: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        timezone: chrono_tz::Europe::London,
        enabled: true,
        post_empty_weeks: true,
        problem: None,
    };
    let saved_at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 1, 0, 0, 0).unwrap();
    bot.store.save_digest_settings(&settings, saved_at).await.unwrap();
    bot.fake.set_guild_roles(vec![
        role_json(GUILD_ID, "@everyone", 0, DEFAULT_EVERYONE),
        role_json(777, "Liaison team", 3, 0),
        role_json(888, "Students", 2, 0),
        role_json(999, "Staff", 1, 0),
    ]);
    let overwrite = |id: u64, allow: u64, deny: u64| json!({"id": id.to_string(), "type": 0, "allow": allow.to_string(), "deny": deny.to_string()});
    let show = || slash_command("settings", vec![subcommand("show", vec![])], &Who::admin());
    let warning = "visible to roles that may not capture";

    // Hidden from @everyone, open to the team and to students: students are the warning.
    bot.fake.set_channel_overwrites(
        digest_channel,
        vec![overwrite(GUILD_ID, 0, VIEW), overwrite(777, VIEW, 0), overwrite(888, VIEW, 0)],
    );
    let reply = bot.send(&show()).await;
    let t = text(&reply);
    assert!(is_ephemeral(&reply) && t.contains(warning), "{reply}");
    assert!(t.contains("@Students") && !t.contains("@Staff") && !t.contains("@Liaison team"), "{t}");
    let asked = bot.fake.requests_matching("GET", &format!("/guilds/{GUILD_ID}/roles"));
    assert!(!asked.is_empty() && bot.fake.unexpected_requests().is_empty());

    // Only the team can read it: no warning.
    bot.fake
        .set_channel_overwrites(digest_channel, vec![overwrite(GUILD_ID, 0, VIEW), overwrite(777, VIEW, 0)]);
    let t = text(&bot.send(&show()).await);
    assert!(!t.contains(warning), "{t}");

    // No overwrites: everyone in the server can read it.
    bot.fake.set_channel_overwrites(digest_channel, vec![]);
    let t = text(&bot.send(&show()).await);
    assert!(t.contains(warning) && t.contains("@everyone"), "{t}");
    bot.stop().await;
}

#[test]
fn a_wrong_token_is_a_clear_error_and_a_non_zero_exit() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeDiscord::start(TOKEN));
    let dir = TempDir::new().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(dir.path())
        .env("DISCORD_TOKEN", "wrong-token")
        .env("DISCORD_API_URL", fake.api_base())
        .env_remove("DATABASE_URL")
        .env_remove("LIAISON_GUILD_ID")
        .arg("--config")
        .arg(shipped_config())
        .arg("run")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Discord refused DISCORD_TOKEN"), "{stderr}");
    assert!(!stderr.contains("wrong-token"), "the token never reaches output");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
        .current_dir(dir.path())
        .env_remove("DISCORD_TOKEN")
        .arg("--config")
        .arg(shipped_config())
        .arg("run")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("DISCORD_TOKEN is not set"));
    drop(fake);
}

#[test]
fn a_server_id_of_zero_is_a_clear_error_not_a_panic() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeDiscord::start(TOKEN));
    let dir = TempDir::new().unwrap();
    for (guild, subcommand) in [("0", "run"), ("0", "register"), (" 00 ", "run")] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
            .current_dir(dir.path())
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", fake.api_base())
            .env("LIAISON_GUILD_ID", guild)
            .env_remove("DATABASE_URL")
            .arg("--config")
            .arg(shipped_config())
            .arg(subcommand)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{subcommand} with {guild:?}: {stderr}");
        assert!(
            stderr.contains(&format!("LIAISON_GUILD_ID \"{}\" is not a Discord server id", guild.trim())),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(fake.registered_commands(None).is_empty(), "nothing was registered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_write_is_deferred_then_the_original_is_edited() {
    let mut bot = Bot::start().await;
    // Another writer holds the database for three seconds: the bot's insert waits for it (busy
    // timeout), so the answer cannot make Discord's 3 seconds without a defer.
    let url = format!("sqlite://{}", bot.dir.path().join("liaison.db").display());
    let mut blocker = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut blocker).await.unwrap();
    let interaction = slash_command("intel", note_in("Music", "Scores"), &Who::alice());
    bot.fake.dispatch_interaction(&interaction).await.unwrap();
    let callback = bot.fake.wait_for_callback(&interaction, WAIT).await.expect("a callback");
    let payload = callback.payload().unwrap();
    assert_eq!(payload["type"], 5, "deferred: {payload}");
    assert_eq!(payload["data"]["flags"], 64, "deferred as private");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    sqlx::query("ROLLBACK").execute(&mut blocker).await.unwrap();
    let token = interaction_token(&interaction).to_string();
    let edit = bot
        .fake
        .wait_for_request(|r| r.method == "PATCH" && r.path.contains(&token), WAIT)
        .await
        .expect("the original is edited");
    let body = edit.payload().unwrap();
    assert!(body["embeds"][0]["title"].as_str().unwrap().contains("Saved entry #1"), "{body}");
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    assert!(bot.entry(1).await.is_some());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_error_shows_a_reference_not_the_error() {
    let mut bot = Bot::start().await;
    // The database goes away under the bot.
    bot.store.close().await;
    let answer = bot.send(&slash_command("intel", note_in("Music", "x"), &Who::alice())).await;
    assert!(is_ephemeral(&answer));
    let t = text(&answer);
    assert!(t.contains("Something went wrong (ref "), "{t}");
    assert!(!t.to_lowercase().contains("pool") && !t.to_lowercase().contains("sqlite"), "no internals: {t}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_callback_does_not_stop_the_bot() {
    let mut bot = Bot::start().await;
    bot.fake.fail_next("POST", "/interactions/", support::fake_discord::Failure::Status(500));
    let first = slash_command("stats", vec![], &Who::alice());
    bot.fake.dispatch_interaction(&first).await.unwrap();
    let failed = bot.fake.wait_for_callback(&first, WAIT).await.expect("the callback was tried");
    assert_eq!(failed.status, 500);
    let answer = bot.send(&slash_command("stats", vec![], &Who::alice())).await;
    assert!(text(&answer).contains("Statistics"), "{answer}");
    bot.stop().await;
}

#[test]
fn a_process_runs_only_the_gateway_shards_it_is_given() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeDiscord::start(TOKEN));
    let dir = TempDir::new().unwrap();
    let liaison = |shards: &str, total: &str| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"));
        command
            .current_dir(dir.path())
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_API_URL", fake.api_base())
            .env_remove("DATABASE_URL")
            .env_remove("LIAISON_GUILD_ID")
            .args(["--config", &shipped_config().display().to_string()])
            .args(["run", "--shards", shards, "--total-shards", total]);
        command
    };
    let refused = liaison("2-4", "4").output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("shards are 0 to 3"));

    let mut child = liaison("1-1", "2")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let ready = runtime.block_on(fake.wait_gateway(WAIT, |s| s.readies >= 1));
    let identify = fake.last_identify();
    let _ = child.kill();
    let _ = child.wait();
    ready.expect("the shard connects");
    assert_eq!(identify.expect("an identify")["d"]["shard"], json!([1, 2]), "shard 1 of 2");
}

/// Polls `read` until it gives `Some`, or fails the test after `WAIT`.
async fn eventually<T, F, Fut>(what: &str, mut read: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(value) = read().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Issue 13: removed from a server (GUILD_DELETE without `unavailable`), the bot schedules its data
/// for deletion after `[retention] guild_grace_days`; added back (GUILD_CREATE), it keeps it all;
/// an outage (`unavailable: true`) is not a removal. Once the grace period has run out, the
/// scheduler's pass deletes everything of that server and records it, and nothing of another's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_removes_the_bot_is_forgotten_after_the_grace_period_unless_it_adds_it_back() {
    use chrono::Duration as Days;
    use liaison::domain::ids::GuildId as OurGuild;
    use liaison::domain::privacy::PrivacyActionKind;
    use liaison::service::privacy::departures;

    const OTHER: u64 = 1_444_444_444_444_444_444;
    let mut bot = Bot::start().await;
    let guild = OurGuild(GUILD_ID);
    bot.send(&slash_command("intel", note_in("History", "Archive visit planned"), &Who::alice())).await;
    assert!(bot.entry(1).await.is_some());

    // An outage of another server, then this one's removal.
    bot.fake.dispatch("GUILD_DELETE", guild_delete(OTHER, true)).await.unwrap();
    let before = Utc::now();
    bot.fake.dispatch("GUILD_DELETE", guild_delete(GUILD_ID, false)).await.unwrap();
    let store = bot.store.clone();
    let delete_after =
        eventually("the removal is scheduled", || async { store.departure(guild).await.unwrap() }).await;
    let grace = Days::days(i64::from(bot.config.retention.guild_grace_days));
    assert!(
        delete_after >= before + grace - Days::seconds(1) && delete_after <= Utc::now() + grace,
        "{delete_after}"
    );
    // The interaction after both dispatches is answered: both events have been seen by now.
    bot.send(&slash_command("entry", vec![subcommand("show", vec![opt_int("id", 1)])], &Who::alice())).await;
    assert_eq!(store.departure(OurGuild(OTHER)).await.unwrap(), None, "an outage is not a removal");

    // Added back within the grace period: nothing will be deleted.
    bot.fake.dispatch("GUILD_CREATE", guild_create(GUILD_ID, "Library liaison")).await.unwrap();
    eventually("the deletion is cancelled", || async {
        store.departure(guild).await.unwrap().is_none().then_some(())
    })
    .await;
    assert!(departures::run_due(store.as_ref(), Utc::now() + grace * 2).await.unwrap().is_empty());
    assert!(bot.entry(1).await.is_some(), "kept");

    // Removed again, and this time the grace period runs out.
    bot.fake.dispatch("GUILD_DELETE", guild_delete(GUILD_ID, false)).await.unwrap();
    let delete_after =
        eventually("the removal is scheduled again", || async { store.departure(guild).await.unwrap() })
            .await;
    assert!(departures::run_due(store.as_ref(), delete_after - Days::minutes(1)).await.unwrap().is_empty());
    let forgotten = departures::run_due(store.as_ref(), delete_after).await.unwrap();
    assert_eq!(forgotten, vec![(guild, 1)]);
    assert!(bot.entry(1).await.is_none(), "deleted");
    assert_eq!(store.departure(guild).await.unwrap(), None);
    let log = store.privacy_log(Some(guild), 10).await.unwrap();
    assert_eq!((log.len(), log[0].kind, log[0].entries), (1, PrivacyActionKind::ForgetGuild, 1));
    bot.stop().await;
}

/// The GUILD_CREATE the tests send is one serenity reads: a payload it rejected would only be
/// logged by the client, and the test above would fail for the wrong reason.
#[test]
fn the_guild_create_payload_is_one_serenity_reads() {
    let read: Result<serenity::model::event::GuildCreateEvent, _> =
        serde_json::from_value(guild_create(GUILD_ID, "Library liaison"));
    assert_eq!(read.map(|e| e.guild.id.get()).map_err(|e| e.to_string()), Ok(GUILD_ID));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn privacy_erase_asks_then_erases_on_confirm_and_search_stops_finding_it() {
    let mut bot = Bot::start().await;
    bot.send(&slash_command("intel", note_in("History", "José García asked about EEBO"), &Who::alice()))
        .await;
    bot.send(&slash_command("intel", note_in("Law", "Westlaw outage"), &Who::bob())).await;
    let erase = || {
        slash_command("privacy", vec![subcommand("erase", vec![opt_str("text", "garcia")])], &Who::admin())
    };

    let refused = bot
        .send(&slash_command(
            "privacy",
            vec![subcommand("erase", vec![opt_str("text", "garcia")])],
            &Who::alice(),
        ))
        .await;
    assert!(is_ephemeral(&refused) && text(&refused).contains("Only server admins"), "{refused}");

    let ask = bot.send(&erase()).await;
    assert!(is_ephemeral(&ask));
    mentions_suppressed(&ask);
    assert!(text(&ask).contains("Erase \"garcia\" in 1 entry?"), "{ask}");
    let b = buttons(&ask);
    assert_eq!((b[0].0.as_str(), b[1].0.as_str()), ("Confirm", "Cancel"));
    assert_eq!(
        bot.entry(1).await.unwrap().note.as_str(),
        "José García asked about EEBO",
        "not before Confirm"
    );

    let kept = bot.send(&button_click(&b[1].1, bot_message(GUILD_ID, "erase?"), &Who::admin())).await;
    assert_eq!(kept["type"], 7, "updates the message in place");
    assert!(text(&kept).contains("Nothing erased."), "{kept}");
    assert_eq!(bot.entry(1).await.unwrap().note.as_str(), "José García asked about EEBO");

    let ask = bot.send(&erase()).await;
    let confirm = buttons(&ask)[0].1.clone();
    let forged = bot.send(&button_click(&confirm, bot_message(GUILD_ID, "erase?"), &Who::bob())).await;
    assert!(text(&forged).contains("Only server admins"), "{forged}");
    let done = bot.send(&button_click(&confirm, bot_message(GUILD_ID, "erase?"), &Who::admin())).await;
    assert_eq!(done["type"], 7);
    mentions_suppressed(&done);
    assert!(text(&done).contains("Erased \"garcia\" in 1 entry."), "{done}");
    assert_eq!(bot.entry(1).await.unwrap().note.as_str(), "José [erased] asked about EEBO");
    let search = bot.send(&slash_command("search", vec![opt_str("query", "garcia")], &Who::alice())).await;
    assert!(text(&search).contains("No entries match."), "{search}");
    bot.stop().await;
}

/// What an autocomplete answer offers, by value.
fn choice_values(answer: &Value) -> Vec<String> {
    assert_eq!(answer["type"], 8, "autocomplete result: {answer}");
    let choices = answer["data"]["choices"].as_array().expect("choices");
    choices
        .iter()
        .map(|c| {
            assert_eq!(c["name"], c["value"]);
            c["value"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_is_added_captured_with_through_autocomplete_and_its_timeline_paged() {
    let mut bot = Bot::start().await;
    let add = slash_command(
        "partner",
        vec![subcommand(
            "add",
            vec![
                opt_str("name", "Dr A. Field"),
                opt_str("kind", "person"),
                opt_str("department", "History"),
                opt_str("notes", "Wants @everyone trained on EEBO"),
            ],
        )],
        &Who::alice(),
    );
    let added = bot.send(&add).await;
    assert_eq!(added["type"], 4);
    assert!(is_ephemeral(&added));
    mentions_suppressed(&added);
    let t = text(&added);
    assert!(
        t.contains("Added **Dr A. Field**") && t.contains(&format!("<@{}>", Who::alice().user_id)),
        "{t}"
    );
    assert!(t.contains("@\u{200b}everyone"), "a mention in the notes is broken: {t}");

    // Capture with it: the partner option autocompletes while the department is already filled, as
    // Discord sends it, and the chosen value is what the command then carries.
    let typing = autocomplete(
        "intel",
        vec![opt_str("department", "History"), opt_focused("partner", "fiel")],
        &Who::bob(),
    );
    let offered = choice_values(&bot.send(&typing).await);
    assert_eq!(offered, ["Dr A. Field"]);
    let in_subcommand =
        autocomplete("partner", vec![subcommand("show", vec![opt_focused("partner", "dr a")])], &Who::bob());
    assert_eq!(choice_values(&bot.send(&in_subcommand).await), ["Dr A. Field"]);

    let mut options = note_in("History", "Asked for an EEBO session for the MA group");
    options.push(opt_str("partner", &offered[0]));
    options.push(opt_str("also_department", "Law"));
    let saved = bot.send(&slash_command("intel", options, &Who::bob())).await;
    let t = text(&saved);
    assert!(
        t.contains("Saved entry #1") && t.contains("Partners: Dr A. Field") && t.contains("Also: Law"),
        "{t}"
    );
    let entry = bot.entry(1).await.expect("stored");
    assert_eq!(entry.partners.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Dr A. Field"]);
    for i in 2..=6 {
        let mut options = note_in("History", &format!("Conversation number {i}"));
        options.push(opt_str("partner", "Dr A. Field"));
        bot.send(&slash_command("intel", options, &Who::alice())).await;
    }

    // Its timeline: the profile, then five entries a page, newest first, paged in place.
    let show = slash_command(
        "partner",
        vec![subcommand("show", vec![opt_str("partner", "Dr A. Field")])],
        &Who::bob(),
    );
    let first = bot.send(&show).await;
    assert_eq!(first["type"], 4);
    assert!(is_ephemeral(&first));
    mentions_suppressed(&first);
    let t = text(&first);
    assert!(
        t.contains("Last contact:")
            && t.contains("6 entries · page 1 of 2")
            && t.contains("Entries by month"),
        "{t}"
    );
    assert_eq!(first["data"]["embeds"][1]["fields"][0]["name"], "#6", "newest first");
    let b = buttons(&first);
    assert_eq!((b[0].0.as_str(), b[0].2, b[1].0.as_str(), b[1].2), ("Previous", true, "Next", false));
    let next = bot.send(&button_click(&b[1].1, bot_message(GUILD_ID, "timeline"), &Who::bob())).await;
    assert_eq!(next["type"], 7, "updates the message in place");
    assert!(
        text(&next).contains("page 2 of 2") && text(&next).contains("Asked for an EEBO session"),
        "{next}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_close_name_offers_add_anyway_and_the_edit_form_round_trips() {
    let mut bot = Bot::start().await;
    let add = |name: &str| {
        slash_command(
            "partner",
            vec![subcommand("add", vec![opt_str("name", name), opt_str("kind", "team")])],
            &Who::alice(),
        )
    };
    bot.send(&add("Study Skills")).await;
    let offered = bot.send(&add("Study Skill")).await;
    assert!(text(&offered).contains("Did you mean **Study Skills**?"), "{offered}");
    let b = buttons(&offered);
    assert_eq!(b[0].0, "Add anyway");
    let added = bot.send(&button_click(&b[0].1, bot_message(GUILD_ID, "did you mean"), &Who::alice())).await;
    assert_eq!(added["type"], 7);
    assert!(text(&added).contains("Added **Study Skill**"), "{added}");

    let edit = slash_command(
        "partner",
        vec![subcommand(
            "edit",
            vec![opt_str("partner", "Study Skill"), opt_user_who("co_owner", &Who::bob())],
        )],
        &Who::alice(),
    );
    let modal = bot.send(&edit).await;
    assert_eq!(modal["type"], 9, "a modal: {modal}");
    assert_eq!(modal_input(&modal, "name")["value"], "Study Skill");
    assert_eq!(modal_input(&modal, "status")["value"], "active");
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let submit = modal_submit(
        &custom_id,
        &[
            ("name", "Study Skills Team"),
            ("departments", "History, Law"),
            ("notes", "They want referencing sessions"),
            ("link", ""),
            ("status", "dormant"),
        ],
        &Who::alice(),
    );
    let saved = bot.send(&submit).await;
    mentions_suppressed(&saved);
    let t = text(&saved);
    assert!(
        t.contains("Study Skills Team") && t.contains("dormant") && t.contains("Departments: History, Law"),
        "{t}"
    );
    assert!(t.contains(&format!("co-owners: <@{}>", Who::bob().user_id)), "{t}");
    bot.stop().await;
}

/// From the desk to the liaison librarian, through the real client: an admin names Alice History's
/// liaison; Bob's `/intel` through the desk reaches her as a DM with Take it; her press, as
/// Discord sends a component interaction in a DM (no guild, no member), makes the follow-up hers.
/// A DM Discord refuses (50007) shows in the digest, without saying whose DMs are closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_capture_is_handed_to_the_liaison_who_takes_it_from_the_dm() {
    use liaison::domain::entry::FollowUpStatus;
    use support::fake_discord::Failure;
    use support::ids::dm_channel_id;

    let mut bot = Bot::start().await;
    let (alice, bob) = (Who::alice(), Who::bob());
    let name = |department: &str, who: &Who| {
        slash_command(
            "settings",
            vec![subcommand("liaison", vec![opt_str("department", department), opt_user_who("user", who)])],
            &Who::admin(),
        )
    };
    let named = bot.send(&name("History", &alice)).await;
    assert!(is_ephemeral(&named));
    mentions_suppressed(&named);
    assert!(
        text(&named).starts_with(&format!("<@{}> is now a liaison librarian for History", alice.user_id)),
        "{named}"
    );

    let note = vec![
        opt_str("department", "hist"),
        opt_str("note", "Three PhD students asked for EEBO training"),
        opt_str("channel", "desk"),
    ];
    let saved = bot.send(&slash_command("intel", note, &bob)).await;
    assert!(is_ephemeral(&saved));
    mentions_suppressed(&saved);
    let t = text(&saved);
    assert!(
        t.contains("Saved entry #1")
            && t.contains(&format!("Sent to <@{}> (History liaison).", alice.user_id)),
        "{t}"
    );

    // The DM: opened with Alice, the entry and a Take it button, pinging nobody.
    assert_eq!(bot.fake.requests_matching("POST", "/users/@me/channels").len(), 1);
    let alice_dm = format!("/channels/{}/messages", dm_channel_id(alice.user_id));
    let sent = bot.fake.requests_matching("POST", &alice_dm);
    assert_eq!(sent.len(), 1);
    let dm = sent[0].payload().unwrap().clone();
    assert_eq!(dm["allowed_mentions"]["parse"], json!([]));
    assert!(dm["content"].as_str().unwrap().contains("From the desk: entry #1 is about History"), "{dm}");
    assert!(
        dm["embeds"][0]["description"].as_str().unwrap().contains("Bob Enquiries: Three PhD students"),
        "{dm}"
    );
    let button = &dm["components"][0]["components"][0];
    assert_eq!(button["label"], "Take it");
    let take = button["custom_id"].as_str().unwrap().to_string();
    assert_eq!(take, format!("take:{GUILD_ID}:1"));

    // Alice presses it in her DM.
    let message = bot_message(dm_channel_id(alice.user_id), "From the desk");
    let pressed = bot.send(&button_click(&take, message.clone(), &alice.clone().in_dm())).await;
    assert_eq!(pressed["type"], 7, "the DM is updated in place: {pressed}");
    mentions_suppressed(&pressed);
    assert!(text(&pressed).starts_with("Taken: the follow-up on #1 is yours, due"), "{pressed}");
    let follow_up = bot.entry(1).await.unwrap().follow_up.expect("a follow-up now");
    assert_eq!((follow_up.owner.0, follow_up.status), (alice.user_id, FollowUpStatus::Open));
    assert_eq!(
        follow_up.due,
        Utc::now().with_timezone(&chrono_tz::Europe::London).date_naive() + chrono::Duration::days(7)
    );
    // Anyone pressing after her is told who has it.
    let late = bot.send(&button_click(&take, message, &bob.clone().in_dm())).await;
    assert_eq!(text(&late), format!("#1 was already taken by <@{}>.", alice.user_id));

    // Bob looks after Law, and his DMs are closed: the capture says so privately, and the
    // digest lists the hand-off for the team.
    bot.send(&name("Law", &bob)).await;
    let bob_dm = format!("/channels/{}/messages", dm_channel_id(bob.user_id));
    bot.fake.fail_next(
        "POST",
        &bob_dm,
        Failure::Discord { status: 403, code: 50007, message: "Cannot send messages to this user".into() },
    );
    let law =
        vec![opt_str("department", "Law"), opt_str("note", "Westlaw is down"), opt_str("channel", "desk")];
    let saved = bot.send(&slash_command("intel", law, &Who::admin())).await;
    assert!(
        text(&saved).contains(&format!("Could not reach <@{}> (Law liaison) by DM", bob.user_id)),
        "{saved}"
    );
    let preview =
        slash_command("digest", vec![subcommand("preview", vec![opt_str("period", "this-week")])], &alice);
    let digest = bot.send(&preview).await;
    let t = text(&digest);
    assert!(t.contains("From the desk: **2**, taken up: **1**"), "{t}");
    assert!(t.contains("**#2** Law · handed off") && t.contains("nobody could be reached by DM"), "{t}");
    assert!(!t.contains(&format!("<@{}>", bob.user_id)), "whose DMs are closed is not said: {t}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mark_as_impact_opens_a_form_from_the_saved_reply_and_its_submit_stores_the_story() {
    let bot = Bot::start().await;
    let objective = subcommand(
        "objectives",
        vec![opt_str("action", "add"), opt_str("name", "Digital skills (JISC framework)")],
    );
    let added = bot.send(&slash_command("settings", vec![objective], &Who::admin())).await;
    assert!(is_ephemeral(&added) && text(&added).contains("Added the objective"), "{added}");

    let saved =
        bot.send(&slash_command("intel", note_in("History", "EEBO training asked for"), &Who::alice())).await;
    let b = buttons(&saved);
    assert_eq!(b[0].0, "Mark as impact", "{saved}");
    let refused = bot.send(&button_click(&b[0].1, bot_message(GUILD_ID, "saved"), &Who::bob())).await;
    assert!(is_ephemeral(&refused) && text(&refused).contains("only the entry's author"), "{refused}");

    let modal = bot.send(&button_click(&b[0].1, bot_message(GUILD_ID, "saved"), &Who::alice())).await;
    assert_eq!(modal["type"], 9, "a modal: {modal}");
    assert_eq!(modal_input(&modal, "outcome")["style"], 2, "a paragraph");
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let submit = modal_submit(
        &custom_id,
        &[("outcome", "Forty students trained, @everyone"), ("evidence", ""), ("objective", "digital")],
        &Who::alice(),
    );
    let answer = bot.send(&submit).await;
    assert!(is_ephemeral(&answer));
    mentions_suppressed(&answer);
    assert!(text(&answer).contains("Entry #1 is marked as an impact story."), "{answer}");
    let guild = liaison::domain::ids::GuildId(GUILD_ID);
    let story =
        bot.store.impact_story(guild, liaison::domain::ids::EntryId(1)).await.unwrap().expect("stored");
    assert_eq!(story.objective.as_str(), "Digital skills (JISC framework)");
    assert_eq!(story.evidence, None);
}

/// The post-event prompt end to end: `/event add` twice, `/intel event:` picked through
/// autocomplete with a follow-up (so its organiser has decided), then the scheduler's pass at the
/// guild's digest time the day after: one DM, to the organiser who has not decided, through the
/// real serenity client; not again from a second process over the same database, nor after a
/// restart; and its Nothing needed button pressed in the DM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_post_event_prompt_goes_once_to_each_undecided_organiser_across_restarts() {
    use liaison::discord::bot::BotSettings;
    use liaison::discord::post::DiscordPoster;
    use liaison::domain::ids::GuildId as OurGuild;
    use liaison::service::event_prompts::{due_at, run_due, Outcome};
    use liaison::service::settings::current;
    use support::ids::dm_channel_id;

    let mut bot = Bot::start().await;
    let (alice, bob) = (Who::alice(), Who::bob());
    let add = |name: &str, organiser: Option<&Who>| {
        let mut options =
            vec![opt_str("name", name), opt_str("date", "yesterday"), opt_str("department", "hist")];
        options.extend(organiser.map(|o| opt_user_who("organiser", o)));
        slash_command("event", vec![subcommand("add", options)], &alice)
    };
    let added = bot.send(&add("Research showcase", None)).await;
    assert!(is_ephemeral(&added));
    mentions_suppressed(&added);
    assert!(text(&added).contains(&format!("Organisers: <@{}>", alice.user_id)), "{added}");
    bot.send(&add("Study skills fair", Some(&bob))).await;

    // Alice logs a follow-up at her event, the event picked through autocomplete.
    let typing =
        autocomplete("intel", vec![opt_str("department", "History"), opt_focused("event", "resea")], &alice);
    let answer = bot.send(&typing).await;
    assert_eq!(answer["type"], 8, "{answer}");
    let choice = &answer["data"]["choices"][0];
    assert!(choice["name"].as_str().unwrap().starts_with("Research showcase ("), "{answer}");
    let mut options = note_in("History", "Two lecturers want a data session");
    options.push(opt_str("follow_up", "in 7 days"));
    options.push(opt_str("event", choice["value"].as_str().unwrap()));
    let saved = bot.send(&slash_command("intel", options, &alice)).await;
    assert!(text(&saved).contains("Linked to the event."), "{saved}");

    // The day after, at the guild's digest time.
    let config = bot.config.clone();
    let guild = OurGuild(GUILD_ID);
    let (settings, _) =
        current(bot.store.as_ref(), &config.digest, config.rules.timezone, guild).await.unwrap();
    let yesterday = config.rules.today(Utc::now()).pred_opt().unwrap();
    let at = due_at(&settings, yesterday).unwrap();
    let api = bot.fake.api_base();
    let poster =
        || DiscordPoster(std::sync::Arc::new(BotSettings::new(TOKEN, Some(api.clone()), None).http()));
    let first_poster = poster();
    assert!(run_due(bot.store.as_ref(), &config, &first_poster, at - chrono::Duration::minutes(1))
        .await
        .unwrap()
        .is_empty());
    let out = run_due(bot.store.as_ref(), &config, &first_poster, at).await.unwrap();
    assert_eq!(out.iter().filter(|o| matches!(o, Outcome::Sent(_))).count(), 1, "{out:?}");
    assert!(
        out.iter().any(|o| matches!(o, Outcome::AlreadyDecided(k) if k.organiser.0 == alice.user_id)),
        "{out:?}"
    );
    let bob_dm = format!("/channels/{}/messages", dm_channel_id(bob.user_id));
    let sent = bot.fake.requests_matching("POST", &bob_dm);
    assert_eq!(sent.len(), 1);
    let dm = sent[0].payload().unwrap().clone();
    assert_eq!(dm["allowed_mentions"]["parse"], json!([]));
    assert_eq!(dm["content"], "What happens after **Study skills fair**?");
    let labels: Vec<&str> = dm["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Add follow-up", "Log what I heard", "Nothing needed"]);
    let alice_dm = format!("/channels/{}/messages", dm_channel_id(alice.user_id));
    assert!(bot.fake.requests_matching("POST", &alice_dm).is_empty(), "Alice had decided");

    // Another process over the same database, and this one after a restart: nothing more.
    let second_store = open(bot.dir.path()).await;
    run_due(second_store.as_ref(), &config, &poster(), at + chrono::Duration::minutes(1)).await.unwrap();
    bot.stop().await;
    bot.launch().await;
    run_due(bot.store.as_ref(), &config, &poster(), at + chrono::Duration::hours(3)).await.unwrap();
    assert_eq!(bot.fake.requests_matching("POST", &bob_dm).len(), 1, "once");

    // Bob presses Nothing needed in his DM, after the restart.
    let nothing = dm["components"][0]["components"][2]["custom_id"].as_str().unwrap().to_string();
    let message = bot_message(dm_channel_id(bob.user_id), "What happens after");
    let pressed = bot.send(&button_click(&nothing, message, &bob.clone().in_dm())).await;
    assert_eq!(pressed["type"], 7, "{pressed}");
    mentions_suppressed(&pressed);
    assert!(text(&pressed).starts_with("Noted: nothing needed after **Study skills fair**"), "{pressed}");
}

/// The files the bot sent in answer to `interaction`: with its callback, or, when it deferred,
/// with the edit of the original. With the message's text.
async fn answer_files(bot: &Bot, interaction: &Value) -> (String, Vec<(String, Vec<u8>)>) {
    let callback = bot.fake.wait_for_callback(interaction, WAIT).await.expect("a callback");
    assert!(callback.status < 300, "callback refused: {}", callback.status);
    let payload = callback.payload().expect("a payload").clone();
    let answer = if payload["type"] == 5 {
        assert_eq!(payload["data"]["flags"], 64, "deferred as private");
        let token = interaction_token(interaction).to_string();
        bot.fake
            .wait_for_request(|r| r.method == "PATCH" && r.path.contains(&token), WAIT)
            .await
            .expect("the original is edited")
    } else {
        assert!(is_ephemeral(&payload), "a report is private: {payload}");
        callback
    };
    let body = answer.payload().expect("a payload").clone();
    let content =
        body["content"].as_str().or(body["data"]["content"].as_str()).unwrap_or_default().to_string();
    let files =
        answer.files().iter().map(|f| (f.filename.clone().expect("a file name"), f.bytes.clone())).collect();
    (content, files)
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, usize) {
    let mut reader = csv_reader(bytes);
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    (header, rows.len())
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::Reader::from_reader(bytes)
}

fn png_decodes(bytes: &[u8]) -> bool {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut buf).is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_answers_privately_with_files_each_within_the_interactions_upload_limit() {
    let mut bot = Bot::start().await;
    let long = "a long account of what the department asked for, ".repeat(30);
    for i in 0..30 {
        let department = if i % 3 == 0 { "Law" } else { "History" };
        bot.send(&slash_command("intel", note_in(department, &format!("{i}: {long}")), &Who::alice())).await;
    }
    let interaction = slash_command("report", vec![], &Who::admin());
    bot.fake.dispatch_interaction(&interaction).await.unwrap();
    let (content, files) = answer_files(&bot, &interaction).await;
    assert!(content.contains("30 entries"), "{content}");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["entries.csv", "entries-per-month.png", "departments.png", "channels.png", "summary.md"]
    );
    let (_, rows) = csv_rows(&files[0].1);
    assert_eq!(rows, 30);
    for (name, bytes) in &files[1..4] {
        assert!(png_decodes(bytes), "{name}");
    }
    let summary = String::from_utf8(files[4].1.clone()).unwrap();
    assert!(summary.contains("| History | 20 |") && summary.contains("| Law | 10 |"), "{summary}");

    // A server whose limit is smaller than the CSV (but holds each chart): the CSV comes in
    // numbered parts, each with the header, every row once; and as the limit is on all the files
    // of a request together, as many messages carry them as the limit needs.
    let limit = files[1..].iter().map(|(_, b)| b.len() as u64).max().unwrap() + 1;
    let csv_len = files[0].1.len() as u64;
    assert!(csv_len > limit, "the CSV ({csv_len} bytes) must be over the limit ({limit}) to be split");
    let small = Who::admin().with_attachment_size_limit(limit);
    let interaction = slash_command("report", vec![], &small);
    bot.fake.dispatch_interaction(&interaction).await.unwrap();
    let (_, messages) = every_report_file(&bot, &interaction, limit, 30).await;
    let files: Vec<&(String, Vec<u8>)> = messages.iter().flatten().collect();
    let parts: Vec<&&(String, Vec<u8>)> =
        files.iter().filter(|(n, _)| n.starts_with("entries-part")).collect();
    assert!(parts.len() >= 2, "{:?}", files.iter().map(|(n, b)| (n, b.len())).collect::<Vec<_>>());
    for (name, bytes) in parts {
        let (header, _) = csv_rows(bytes);
        assert_eq!(header[0], "id", "{name} starts with the header");
    }
    for name in ["entries-per-month.png", "departments.png", "channels.png", "summary.md"] {
        assert!(files.iter().any(|(n, _)| n == name), "{name}");
    }

    // A limit under one chart: more than ten parts, so follow-ups carry the rest, and the charts
    // that cannot be split are named in the answer rather than dropped.
    let tiny = 2 * 1024;
    let interaction = slash_command("report", vec![], &Who::admin().with_attachment_size_limit(tiny));
    bot.fake.dispatch_interaction(&interaction).await.unwrap();
    let (content, messages) = every_report_file(&bot, &interaction, tiny, 30).await;
    assert!(content.contains("entries-per-month.png") && content.contains("not sent"), "{content}");
    assert!(messages.len() > 2, "{}", messages.len());
    bot.stop().await;
}

/// Every file of a report: the answer's (with its text), then each follow-up's, once the CSV's
/// parts hold `rows` rows. Each message's files are checked against Discord's rules: at most ten,
/// `limit` bytes in all; the follow-ups private, with mentions suppressed.
async fn every_report_file(
    bot: &Bot,
    interaction: &Value,
    limit: u64,
    rows: usize,
) -> (String, Vec<Vec<(String, Vec<u8>)>>) {
    let (content, first) = answer_files(bot, interaction).await;
    let token = interaction_token(interaction).to_string();
    let (posts, messages) = eventually("the follow-ups carry every row", || {
        let token = token.clone();
        let first = first.clone();
        let fake = &bot.fake;
        async move {
            let posts: Vec<_> = fake
                .requests_matching("POST", "/webhooks/")
                .into_iter()
                .filter(|r| r.path.contains(&token) && r.status < 300)
                .collect();
            let messages: Vec<Vec<(String, Vec<u8>)>> = std::iter::once(first)
                .chain(posts.iter().map(|r| {
                    r.files()
                        .iter()
                        .map(|f| (f.filename.clone().unwrap_or_default(), f.bytes.clone()))
                        .collect()
                }))
                .collect();
            let seen: usize = messages
                .iter()
                .flatten()
                .filter(|(n, _)| n.starts_with("entries") && n.ends_with(".csv"))
                .map(|(_, b)| csv_rows(b).1)
                .sum();
            (seen == rows).then_some((posts, messages))
        }
    })
    .await;
    for post in &posts {
        let body = post.payload().expect("a payload");
        assert_eq!(body["flags"], 64, "follow-ups are private too: {body}");
        assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    }
    for (i, files) in messages.iter().enumerate() {
        assert!(files.len() <= 10, "message {i} has {} files", files.len());
        let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
        assert!(total <= limit, "message {i}'s files are {total} bytes, over {limit}");
    }
    (content, messages)
}

/// `/entry edit` with options changes those fields at once (department autocompleted as /intel's
/// is, the owner a Discord user); without options it opens the form, whose note is redacted again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entry_edit_changes_fields_from_options_and_the_note_from_its_form() {
    let mut bot = Bot::start().await;
    bot.send(&slash_command("intel", note_in("Law", "Westlaw outage"), &Who::alice())).await;

    let typed = vec![opt_int("id", 1), opt_focused("department", "hist")];
    let answer = bot.send(&autocomplete("entry", vec![subcommand("edit", typed)], &Who::alice())).await;
    assert_eq!(answer["data"]["choices"][0]["name"], "History", "{answer}");

    let options = vec![
        opt_int("id", 1),
        opt_str("department", "History"),
        opt_str("channel", "coffee"),
        opt_str("date", "yesterday"),
        opt_user_who("follow_up_owner", &Who::bob()),
        opt_str("follow_up_due", "in 7 days"),
    ];
    let answer = bot.send(&slash_command("entry", vec![subcommand("edit", options)], &Who::alice())).await;
    assert!(is_ephemeral(&answer));
    mentions_suppressed(&answer);
    let t = text(&answer);
    let bob = Who::bob().user_id;
    assert!(
        t.starts_with("Updated entry #1: department Law → History; channel Enquiry desk → Coffee; date "),
        "{t}"
    );
    assert!(t.contains(&format!("follow-up none → <@{bob}>, due ")), "{t}");
    let entry = bot.entry(1).await.expect("kept");
    assert_eq!((entry.department.as_str(), entry.channel.as_str()), ("History", "coffee"));
    assert_eq!(entry.follow_up.expect("a follow-up").owner.0, bob);

    let modal = bot
        .send(&slash_command("entry", vec![subcommand("edit", vec![opt_int("id", 1)])], &Who::alice()))
        .await;
    assert_eq!(modal["type"], 9, "a modal: {modal}");
    assert_eq!(modal_input(&modal, "note")["value"], "Westlaw outage");
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let fields = [
        ("note", "Westlaw back, ask j.jones@example.ac.uk"),
        ("tags", ""),
        ("also_departments", ""),
        ("partners", ""),
    ];
    let answer = bot.send(&modal_submit(&custom_id, &fields, &Who::alice())).await;
    mentions_suppressed(&answer);
    let t = text(&answer);
    assert!(t.starts_with("Updated entry #1: note. 1 item of personal data is redacted."), "{t}");
    assert_eq!(bot.entry(1).await.unwrap().note.as_str(), "Westlaw back, ask [email]");

    // Another member is refused, privately.
    let options = vec![opt_int("id", 1), opt_str("department", "Law")];
    let answer = bot.send(&slash_command("entry", vec![subcommand("edit", options)], &Who::bob())).await;
    assert!(is_ephemeral(&answer) && text(&answer).contains("or an admin can edit it"), "{answer}");
    assert_eq!(bot.entry(1).await.unwrap().department.as_str(), "History");
    bot.stop().await;
}

/// `/settings departments` as Discord sends it: registered with the department autocompleted and
/// `served` required; an admin's choice is answered privately and kept for this server; anyone
/// else is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_mark_a_department_not_served_through_discord() {
    let mut bot = Bot::start().await;
    let settings = bot.fake.registered_commands(None).into_iter().find(|c| c["name"] == "settings").unwrap();
    let sub =
        settings["options"].as_array().unwrap().iter().find(|o| o["name"] == "departments").unwrap().clone();
    let options: Vec<(&str, bool, bool)> = sub["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (o["name"].as_str().unwrap(), o["required"] == true, o["autocomplete"].as_bool().unwrap_or(false))
        })
        .collect();
    assert_eq!(options, [("department", true, true), ("served", true, false)]);

    let mark = |served: bool, who: &Who| {
        slash_command(
            "settings",
            vec![subcommand("departments", vec![opt_str("department", "law"), opt_bool("served", served)])],
            who,
        )
    };
    let refused = bot.send(&mark(false, &Who::alice())).await;
    assert!(is_ephemeral(&refused) && text(&refused).starts_with("Only server admins"), "{refused}");
    let marked = bot.send(&mark(false, &Who::admin())).await;
    assert!(is_ephemeral(&marked), "{marked}");
    mentions_suppressed(&marked);
    assert!(text(&marked).starts_with("Law is now marked as not served here"), "{marked}");
    let kept = bot.store.departments_served(liaison::domain::ids::GuildId(GUILD_ID)).await.unwrap();
    assert_eq!(kept, [(liaison::domain::department::DepartmentKey::from("Law"), false)]);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_is_registered_with_its_topics_and_answers_privately_without_pings() {
    let mut bot = Bot::start().await;
    let help = bot.fake.registered_commands(None).into_iter().find(|c| c["name"] == "help").expect("/help");
    let topics: Vec<&str> = help["options"][0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(topics, ["record", "share", "fix"]);
    for options in [vec![], vec![opt_str("topic", "fix")]] {
        let answer = bot.send(&slash_command("help", options, &Who::alice())).await;
        assert!(is_ephemeral(&answer), "{answer}");
        mentions_suppressed(&answer);
        assert!(
            !answer["data"]["embeds"][0]["description"].as_str().unwrap_or_default().is_empty(),
            "{answer}"
        );
    }
    bot.stop().await;
}

/// Issue 16: dates as the server's locale writes them. An interaction's `guild_locale` decides its
/// reply's dates; GUILD_CREATE's and GUILD_UPDATE's `preferred_locale` is kept for what the bot
/// sends unasked (the digest, reminders).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_us_server_gets_us_dates_and_its_locale_is_kept_from_guild_create() {
    use liaison::domain::ids::GuildId as OurGuild;

    let mut bot = Bot::start().await;
    let mut guild = guild_create(GUILD_ID, "Library liaison");
    guild["preferred_locale"] = json!("en-US");
    bot.fake.dispatch("GUILD_CREATE", guild).await.unwrap();
    let store = bot.store.clone();
    let kept = eventually("the locale is kept", || async {
        store.guild_locale(OurGuild(GUILD_ID)).await.unwrap().filter(|l| l == "en-US")
    })
    .await;
    assert_eq!(kept, "en-US");

    let mut options = note_in("History", "Send the EEBO guide");
    options.push(opt_str("follow_up", "2030-01-04"));
    let mut command = slash_command("intel", options, &Who::alice());
    command["guild_locale"] = json!("en-US");
    let t = text(&bot.send(&command).await);
    assert!(t.contains("you, by Fri, Jan 4, 2030"), "{t}");
    bot.stop().await;
}

/// Telling the person it matters to (issue 17, point 2), through the real client: Alice has an
/// open follow-up on a History entry about EEBO; Bob hears about the same thing over coffee, from
/// English, and his private
/// reply names her as told (no ping); she gets one DM, pointing at his entry. A second related
/// capture that day sends no second DM; a private one sends none; a DM Discord refuses (50007)
/// is said in the capturer's reply and not sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_related_capture_tells_the_follow_ups_owner_once_by_dm() {
    use support::fake_discord::Failure;
    use support::ids::dm_channel_id;

    let mut bot = Bot::start().await;
    let (alice, bob, admin) = (Who::alice(), Who::bob(), Who::admin());
    let intel = |note: &str, extra: Vec<Value>| {
        let mut options =
            vec![opt_str("department", "hist"), opt_str("note", note), opt_str("channel", "coffee")];
        options.extend(extra);
        options
    };
    let eebo = vec![opt_str("follow_up", "in 7 days"), opt_str("tags", "eebo")];
    bot.send(&slash_command("intel", intel("Three PhD students asked for EEBO training", eebo), &alice))
        .await;
    let alice_dm = format!("/channels/{}/messages", dm_channel_id(alice.user_id));
    assert!(bot.fake.requests_matching("POST", &alice_dm).is_empty());

    let note = "The PhD students want EEBO training before term";
    // Bob hears it in English, another department.
    let english = vec![
        opt_str("department", "English"),
        opt_str("note", note),
        opt_str("channel", "coffee"),
        opt_str("tags", "eebo"),
    ];
    let saved = bot.send(&slash_command("intel", english, &bob)).await;
    assert!(is_ephemeral(&saved));
    mentions_suppressed(&saved);
    let t = text(&saved);
    assert!(
        t.contains("Saved entry #2") && t.contains(&format!("Told <@{}> (follow-up #1).", alice.user_id)),
        "{t}"
    );
    let sent = bot.fake.requests_matching("POST", &alice_dm);
    assert_eq!(sent.len(), 1);
    let dm = sent[0].payload().unwrap().clone();
    assert_eq!(dm["allowed_mentions"]["parse"], json!([]));
    let content = dm["content"].as_str().unwrap();
    assert!(
        content.starts_with(&format!("Someone else heard about this: {note} (English, Coffee, today).")),
        "{dm}"
    );
    assert!(content.contains("your follow-up on #1") && content.contains("`/entry show id:2`"), "{dm}");
    // Alice may open what she is pointed at.
    let shown =
        bot.send(&slash_command("entry", vec![subcommand("show", vec![opt_int("id", 2)])], &alice)).await;
    assert!(text(&shown).contains(note), "{shown}");

    // Again today, and privately: no second DM.
    let again = bot
        .send(&slash_command("intel", intel("EEBO training for PhD students, again", vec![]), &admin))
        .await;
    assert!(text(&again).contains("was told of a related note today already"), "{again}");
    let private = vec![opt_str("share", "private")];
    let hidden = bot.send(&slash_command("intel", intel(note, private), &bob)).await;
    assert!(!text(&hidden).contains(&format!("<@{}>", alice.user_id)), "{hidden}");
    assert_eq!(bot.fake.requests_matching("POST", &alice_dm).len(), 1, "one DM a day per follow-up");

    // Bob's own follow-up, and his DMs are closed: Alice's reply says he could not be told.
    bot.send(&slash_command(
        "intel",
        intel("Westlaw outage for the law students", vec![opt_str("follow_up", "in 7 days")]),
        &bob,
    ))
    .await;
    let bob_dm = format!("/channels/{}/messages", dm_channel_id(bob.user_id));
    bot.fake.fail_next(
        "POST",
        &bob_dm,
        Failure::Discord { status: 403, code: 50007, message: "Cannot send messages to this user".into() },
    );
    let refused = bot
        .send(&slash_command("intel", intel("Westlaw outage hits the law students", vec![]), &alice))
        .await;
    mentions_suppressed(&refused);
    assert!(
        text(&refused)
            .contains(&format!("Could not tell <@{}> (follow-up #5): Discord refused the DM.", bob.user_id)),
        "{refused}"
    );
    bot.stop().await;
}
