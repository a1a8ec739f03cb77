//! The bot end to end: liaison's own `bot::run` with the real serenity client, against the fake
//! Discord on 127.0.0.1, on a real SQLite database in a temp dir. Assertions are on what the fake
//! received and on the database.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use liaison::config::Config;
use liaison::discord::app::App;
use liaison::discord::bot::{self, BotError, BotSettings};
use liaison::discord::post::DiscordPoster;
use liaison::domain::ids::{EntryId, GuildId as OurGuild};
use liaison::store::{self, Store};
use support::fake_discord::{FakeDiscord, GUILD_ID};
use support::payloads::*;

const TOKEN: &str = "test-token.abc";
const WAIT: Duration = Duration::from_secs(5);

fn shipped_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/liaison.toml")
}

struct Bot {
    fake: FakeDiscord,
    store: Arc<dyn Store>,
    config: Config,
    register_guild: Option<u64>,
    _dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), BotError>>>,
}

impl Bot {
    /// The bot with the shipped config, registering its commands globally.
    async fn start() -> Bot {
        Bot::start_with(Config::load(&shipped_config()).unwrap(), None).await
    }

    async fn start_with(config: Config, register_guild: Option<u64>) -> Bot {
        let fake = FakeDiscord::start(TOKEN).await;
        let dir = TempDir::new().unwrap();
        let store = open(dir.path()).await;
        let mut bot = Bot { fake, store, config, register_guild, _dir: dir, stop: None, task: None };
        bot.launch().await;
        bot
    }

    /// Starts (or restarts) the bot process part on the same database and fake.
    async fn launch(&mut self) {
        let settings = BotSettings::new(TOKEN, Some(self.fake.api_base()), self.register_guild);
        let poster = Arc::new(DiscordPoster(Arc::new(settings.http())));
        let app = App::new(self.store.clone(), Arc::new(self.config.clone()), poster);
        let (tx, rx) = oneshot::channel::<()>();
        let readies = self.fake.gateway_stats().readies;
        self.task = Some(tokio::spawn(async move {
            bot::run(app, &settings, async move {
                let _ = rx.await;
            })
            .await
        }));
        self.stop = Some(tx);
        let fake = &self.fake;
        fake.wait_gateway(WAIT, |s| s.readies > readies).await.expect("the bot connects and gets READY");
    }

    async fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), task).await.expect("the bot stops");
            result.unwrap().expect("the bot stops cleanly");
        }
    }

    /// Dispatches an interaction and returns the callback body the bot sent.
    async fn send(&self, interaction: &Value) -> Value {
        self.fake.dispatch_interaction(interaction).await.unwrap();
        let callback = self.fake.wait_for_callback(interaction, WAIT).await.expect("a callback");
        assert!(
            callback.status < 300,
            "callback refused by the fake: {} {:?}",
            callback.status,
            callback.body
        );
        callback.payload().expect("a JSON callback").clone()
    }

    async fn entry(&self, id: i64) -> Option<liaison::domain::entry::Entry> {
        self.store.entry(OurGuild(GUILD_ID), EntryId(id)).await.unwrap()
    }
}

async fn open(dir: &Path) -> Arc<dyn Store> {
    store::connect(&format!("sqlite://{}", dir.join("liaison.db").display())).await.unwrap()
}

/// The text of a message callback: content plus every embed part, for `contains` checks.
fn text(callback: &Value) -> String {
    let data = &callback["data"];
    let mut out = data["content"].as_str().unwrap_or("").to_string();
    for e in data["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            out.push('\n');
            out.push_str(e[key].as_str().unwrap_or(""));
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n{}: {}",
                f["name"].as_str().unwrap_or(""),
                f["value"].as_str().unwrap_or("")
            ));
        }
        out.push('\n');
        out.push_str(e["footer"]["text"].as_str().unwrap_or(""));
    }
    out
}

fn is_ephemeral(callback: &Value) -> bool {
    callback["data"]["flags"].as_u64().unwrap_or(0) & 64 == 64
}

fn buttons(callback: &Value) -> Vec<(String, String, bool)> {
    callback["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            (
                b["label"].as_str().unwrap_or("").to_string(),
                b["custom_id"].as_str().unwrap_or("").to_string(),
                b["disabled"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

fn mentions_suppressed(callback: &Value) {
    let am = &callback["data"]["allowed_mentions"];
    assert_eq!(am["parse"], json!([]), "allowed_mentions must be empty: {callback}");
    assert!(am["users"].as_array().is_none_or(|u| u.is_empty()));
    assert!(am["roles"].as_array().is_none_or(|r| r.is_empty()));
}

fn modal_input(callback: &Value, custom_id: &str) -> Value {
    callback["data"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|c| c["custom_id"] == custom_id)
        .unwrap_or_else(|| panic!("no input {custom_id} in {callback}"))
}

/// The options of `/intel` with a department and a note only.
fn note_in(department: &str, note: &str) -> Vec<Value> {
    vec![opt_str("department", department), opt_str("note", note)]
}

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
    for name in ["intel", "Save as intel", "search", "entry", "followups", "stats", "settings", "digest"] {
        assert!(names.contains(&name.to_string()), "{name} registered: {names:?}");
    }
    let intel = bot.fake.registered_commands(None).into_iter().find(|c| c["name"] == "intel").unwrap();
    let options: Vec<&str> =
        intel["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(options, ["department", "note", "channel", "tags", "when", "follow_up"]);
    assert_eq!(intel["options"][0]["autocomplete"], true);
    assert_eq!(intel["options"][2]["choices"].as_array().unwrap().len(), 11);

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

    // A colleague's entry about the same department lists Alice's as "who else heard this".
    let answer =
        bot.send(&slash_command("intel", note_in("History", "Seminar on archives"), &Who::bob())).await;
    let t = text(&answer);
    assert!(t.contains("Who else heard this") && t.contains("#1") && t.contains("Alice Liaison"), "{t}");
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
    assert!(t.contains("Saved entry #1") && t.contains("1 item(s) of personal data"), "{t}");
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
async fn only_the_author_or_an_admin_may_edit_or_delete() {
    let mut bot = Bot::start().await;
    bot.send(&slash_command("intel", note_in("Law", "Original note"), &Who::alice())).await;
    let edit = |who: &Who| slash_command("entry", vec![subcommand("edit", vec![opt_int("id", 1)])], who);

    let refused = bot.send(&edit(&Who::bob())).await;
    assert!(is_ephemeral(&refused));
    assert!(text(&refused).contains("only Alice Liaison"), "{refused}");

    let modal = bot.send(&edit(&Who::alice())).await;
    assert_eq!(modal["type"], 9);
    assert_eq!(modal_input(&modal, "note")["value"], "Original note");
    let custom_id = modal["data"]["custom_id"].as_str().unwrap().to_string();
    let submit = modal_submit(
        &custom_id,
        &[("note", "Edited: email dean@uni.ac.uk"), ("tags", "westlaw")],
        &Who::alice(),
    );
    let answer = bot.send(&submit).await;
    assert!(text(&answer).contains("Updated entry #1"), "{answer}");
    let entry = bot.entry(1).await.unwrap();
    assert_eq!(entry.note.as_str(), "Edited: email [email]");
    assert_eq!(entry.redactions, 1);
    assert!(entry.updated_at.is_some());

    // Bob cannot delete it even with a forged button; an admin can.
    let forged = bot.send(&button_click("delete:1", bot_message(GUILD_ID, "x"), &Who::bob())).await;
    assert!(text(&forged).contains("only Alice Liaison"), "{forged}");
    assert!(bot.entry(1).await.is_some());
    let confirm = bot
        .send(&slash_command("entry", vec![subcommand("delete", vec![opt_int("id", 1)])], &Who::admin()))
        .await;
    let b = buttons(&confirm);
    assert_eq!(b[0].0, "Delete");
    let keep = bot.send(&button_click(&b[1].1, bot_message(GUILD_ID, "x"), &Who::admin())).await;
    assert!(text(&keep).contains("Kept entry #1"));
    let deleted = bot.send(&button_click(&b[0].1, bot_message(GUILD_ID, "x"), &Who::admin())).await;
    assert_eq!(deleted["type"], 7);
    assert!(text(&deleted).contains("Deleted entry #1"), "{deleted}");
    assert!(bot.entry(1).await.is_none());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_ups_list_and_done_updates_the_message() {
    let mut bot = Bot::start().await;
    let with_follow_up = |note: &str, due: &str| {
        slash_command(
            "intel",
            vec![opt_str("department", "Physics"), opt_str("note", note), opt_str("follow_up", due)],
            &Who::alice(),
        )
    };
    bot.send(&with_follow_up("Send the arXiv guide", "friday")).await;
    bot.send(&with_follow_up("Check the IOP deal", "today")).await;
    let list = bot.send(&slash_command("followups", vec![opt_str("scope", "mine")], &Who::alice())).await;
    let t = text(&list);
    assert!(t.contains("2 open"), "{t}");
    let b = buttons(&list);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].0, "Done #2", "soonest due first");

    let done = bot.send(&button_click(&b[0].1, bot_message(GUILD_ID, "x"), &Who::alice())).await;
    assert_eq!(done["type"], 7);
    let t = text(&done);
    assert!(t.contains("Marked the follow-up on #2 done") && t.contains("1 open"), "{t}");
    let entry = bot.entry(2).await.unwrap();
    assert_eq!(entry.follow_up.unwrap().status, liaison::domain::entry::FollowUpStatus::Done);

    // Bob's list is empty; with scope all he sees Alice's.
    let bobs = bot.send(&slash_command("followups", vec![], &Who::bob())).await;
    assert!(text(&bobs).contains("Nothing open"), "{bobs}");
    let all = bot.send(&slash_command("followups", vec![opt_str("scope", "all")], &Who::bob())).await;
    assert!(text(&all).contains("1 open"), "{all}");
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
async fn stats_answer_with_counts() {
    let mut bot = Bot::start().await;
    for (dept, channel) in [("History", "coffee"), ("History", "desk"), ("Law", "corridor")] {
        bot.send(&slash_command(
            "intel",
            vec![opt_str("department", dept), opt_str("note", "n"), opt_str("channel", channel)],
            &Who::alice(),
        ))
        .await;
    }
    let answer = bot.send(&slash_command("stats", vec![opt_str("period", "all")], &Who::alice())).await;
    let t = text(&answer);
    assert!(t.contains("**3** entries") && t.contains("**67%** through informal"), "{t}");
    assert!(t.contains("History · 2") && t.contains("Coffee · 1"), "{t}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_member_role_is_required() {
    let text_config = std::fs::read_to_string(shipped_config())
        .unwrap()
        .replace("member_roles = []", "member_roles = [\"777\"]");
    let config = Config::parse(Path::new("t.toml"), &text_config, None, None).unwrap();
    let mut bot = Bot::start_with(config, Some(GUILD_ID)).await;
    assert_eq!(bot.fake.registered_commands(Some(GUILD_ID)).len(), 8, "registered to the guild");
    assert!(bot.fake.registered_commands(None).is_empty(), "and not globally");

    let outsider = bot.send(&slash_command("stats", vec![], &Who::alice())).await;
    assert!(text(&outsider).contains("roles this server set up"), "{outsider}");
    let insider = bot.send(&slash_command("stats", vec![], &Who::alice().with_roles(&[777]))).await;
    assert!(text(&insider).contains("Statistics"), "{insider}");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_write_is_deferred_then_the_original_is_edited() {
    let mut bot = Bot::start().await;
    // Another writer holds the database for three seconds: the bot's insert waits for it (busy
    // timeout), so the answer cannot make Discord's 3 seconds without a defer.
    let url = format!("sqlite://{}", bot._dir.path().join("liaison.db").display());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posted_messages_carry_the_chart_and_suppress_mentions() {
    use liaison::discord::reply::{Embed, Message};
    use liaison::service::poster::{File, Poster};
    let fake = FakeDiscord::start(TOKEN).await;
    let poster = DiscordPoster(Arc::new(fake.http()));
    let first = Message {
        embeds: vec![Embed {
            title: "Digest @everyone".into(),
            image: Some("attachment://chart.png".into()),
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
    use chrono::{NaiveTime, TimeZone, Utc, Weekday};
    use liaison::domain::digest_settings::DigestSettings;
    use liaison::service::capture::{capture, CaptureRequest};
    use liaison::service::digest_runs::{run_due, Outcome};
    use support::fake_discord::Failure;

    let fake = FakeDiscord::start(TOKEN).await;
    let poster = DiscordPoster(Arc::new(fake.http()));
    let dir = TempDir::new().unwrap();
    let config = Config::load(&shipped_config()).unwrap();
    let store = open(dir.path()).await;
    let guild = OurGuild(GUILD_ID);
    let at = |month: u32, d: u32, h: u32, m: u32| Utc.with_ymd_and_hms(2026, month, d, h, m, 0).unwrap();
    let settings = DigestSettings {
        guild,
        channel: 555,
        weekday: Weekday::Mon,
        time: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        timezone: chrono_tz::Europe::London,
        enabled: true,
        post_empty_weeks: true,
        problem: None,
    };
    store.save_digest_settings(&settings, at(11, 1, 0, 0)).await.unwrap();
    for (day, note) in [(17, "EEBO training"), (19, "Reading lists")] {
        let request = CaptureRequest {
            guild,
            author: liaison::domain::entry::Author {
                id: liaison::domain::ids::UserId(1),
                name: "Alice".into(),
            },
            department: "History".into(),
            channel: None,
            note: note.into(),
            tags: None,
            when: None,
            follow_up: None,
            source: None,
        };
        capture(store.as_ref(), &config.rules, request, at(11, day, 12, 0)).await.unwrap();
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
