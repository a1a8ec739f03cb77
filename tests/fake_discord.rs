//! Proves the test harness: the payload builders parse as serenity 0.12.5 parses gateway events,
//! and the real serenity client works against the fake Discord (REST and gateway).

mod support;

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use serenity::all::{
    ActionRowComponent, ChannelType, Client, ClientBuilder, CommandDataOptionValue, CommandOptionType,
    CommandType, ComponentInteractionDataKind, Context, CreateActionRow, CreateAllowedMentions,
    CreateAttachment, CreateAutocompleteResponse, CreateButton, CreateCommand, CreateCommandOption,
    CreateEmbed, CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
    EditInteractionResponse, EventHandler, GatewayIntents, Interaction, InteractionContext, Permissions,
    Ready, ResolvedTarget, ResolvedValue, ShardManager,
};
use serenity::http::{Http, HttpError};
use serenity::model::channel::{Channel, Message};
use serenity::model::event::{Event, GatewayEvent};
use serenity::model::id::{ChannelId, GuildId, RoleId, UserId};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use support::fake_discord::{Failure, FakeDiscord, RecordedRequest};
use support::ids::{
    channel_id, command_id, dm_channel_id, role_id, user_id, APP_ID, BOT_ID, CHANNEL_ID, GUILD_ID,
};
use support::payloads::*;

const TOKEN: &str = "fake-bot-token.harness.test";
const WAIT: Duration = Duration::from_secs(5);

// ------------------------------------------------------------------------------ 1. payloads

/// Parses a payload as serenity's shard does with what comes off the websocket.
fn parse_interaction(payload: &Value) -> Interaction {
    let text = dispatch_frame("INTERACTION_CREATE", payload.clone(), 1).to_string();
    let event: GatewayEvent = serde_json::from_str(&text).expect("parses as a gateway event");
    match event {
        GatewayEvent::Dispatch(1, Event::InteractionCreate(event)) => event.interaction,
        GatewayEvent::Dispatch(_, Event::Unknown(unknown)) => {
            // Re-parse the interaction alone to show why serenity did not recognise it.
            let why = serde_json::from_value::<Interaction>(unknown.value.clone()).err();
            panic!("serenity would drop this payload as Event::Unknown: {why:?}\n{payload:#}")
        }
        other => panic!("not an INTERACTION_CREATE dispatch: {other:?}"),
    }
}

#[test]
fn slash_command_parses_with_typed_and_resolved_options() {
    let alice = Who::alice().with_roles(&[role_id(1), role_id(2)]);
    let payload = slash_command(
        "intel",
        vec![
            opt_str("department", "History"),
            opt_int("days", 7),
            opt_bool("private", true),
            opt_num("weight", 0.5),
            opt_user_who("colleague", &Who::bob()),
            opt_user("other", user_id(9)),
            opt_channel("channel", channel_id(1), "desk"),
        ],
        &alice,
    );
    let Interaction::Command(command) = parse_interaction(&payload) else { panic!("not a command") };
    assert_eq!(command.data.name, "intel");
    assert_eq!(command.data.id.get(), command_id("intel"));
    assert_eq!(command.data.kind, CommandType::ChatInput);
    assert_eq!(command.guild_id, Some(GuildId::new(GUILD_ID)));
    assert_eq!(command.channel_id, ChannelId::new(CHANNEL_ID));
    assert_eq!(command.application_id.get(), APP_ID);
    assert_eq!(command.user.id, UserId::new(alice.user_id), "serenity copies member.user to user");
    assert_eq!(command.user.global_name.as_deref(), Some("Alice Liaison"));
    let member = command.member.as_ref().expect("member");
    assert_eq!(member.roles, vec![RoleId::new(role_id(1)), RoleId::new(role_id(2))]);
    assert_eq!(member.permissions, Some(Permissions::from_bits_truncate(perms::MEMBER)));
    assert_eq!(command.context, Some(InteractionContext::Guild));
    assert_eq!(command.locale, "en-GB");

    let options = command.data.options();
    let value = |name: &str| &options.iter().find(|o| o.name == name).expect(name).value;
    assert!(matches!(value("department"), ResolvedValue::String("History")));
    assert!(matches!(value("days"), ResolvedValue::Integer(7)));
    assert!(matches!(value("private"), ResolvedValue::Boolean(true)));
    assert!(matches!(value("weight"), ResolvedValue::Number(n) if (*n - 0.5).abs() < f64::EPSILON));
    match value("colleague") {
        ResolvedValue::User(user, member) => {
            assert_eq!(user.name, "bob");
            assert!(member.is_some(), "a guild user option resolves a member too");
        }
        other => panic!("colleague: {other:?}"),
    }
    assert!(
        matches!(value("other"), ResolvedValue::User(user, _) if user.name == format!("user{}", user_id(9)))
    );
    assert!(matches!(value("channel"), ResolvedValue::Channel(c) if c.name.as_deref() == Some("desk")));
}

#[test]
fn subcommand_options_nest() {
    let payload = slash_command(
        "followups",
        vec![subcommand_group("team", vec![subcommand("list", vec![opt_str("owner", "me")])])],
        &Who::alice(),
    );
    let Interaction::Command(command) = parse_interaction(&payload) else { panic!("not a command") };
    let options = command.data.options();
    let ResolvedValue::SubCommandGroup(group) = &options[0].value else { panic!("{options:?}") };
    let ResolvedValue::SubCommand(list) = &group[0].value else { panic!("{group:?}") };
    assert_eq!((group[0].name, list[0].name), ("list", "owner"));
    assert!(matches!(list[0].value, ResolvedValue::String("me")));
}

#[test]
fn autocomplete_parses_with_the_focused_option() {
    let payload =
        autocomplete("search", vec![opt_str("term", "eebo"), opt_focused("department", "Hist")], &Who::bob());
    let Interaction::Autocomplete(command) = parse_interaction(&payload) else { panic!("not autocomplete") };
    let focused = command.data.autocomplete().expect("a focused option");
    assert_eq!(
        (focused.name, focused.value, focused.kind),
        ("department", "Hist", CommandOptionType::String)
    );
    assert!(matches!(command.data.options[0].value, CommandDataOptionValue::String(ref s) if s == "eebo"));

    let nested =
        autocomplete("entry", vec![subcommand("edit", vec![opt_focused("department", "Eng")])], &Who::bob());
    let Interaction::Autocomplete(command) = parse_interaction(&nested) else { panic!("not autocomplete") };
    assert_eq!(command.data.autocomplete().expect("focused in a subcommand").value, "Eng");
}

#[test]
#[should_panic(expected = "exactly one focused option")]
fn autocomplete_without_a_focused_option_is_refused() {
    autocomplete("search", vec![opt_str("term", "eebo")], &Who::bob());
}

#[test]
fn modal_submit_values_are_readable() {
    let payload = modal_submit(
        "intel-modal",
        &[("note", "Three PhD students asked for EEBO"), ("department", "History")],
        &Who::alice(),
    );
    let Interaction::Modal(modal) = parse_interaction(&payload) else { panic!("not a modal") };
    assert_eq!(modal.data.custom_id, "intel-modal");
    let values: Vec<(String, Option<String>)> = modal
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .map(|c| match c {
            ActionRowComponent::InputText(input) => (input.custom_id.clone(), input.value.clone()),
            other => panic!("not a text input: {other:?}"),
        })
        .collect();
    assert_eq!(
        values,
        vec![
            ("note".to_string(), Some("Three PhD students asked for EEBO".to_string())),
            ("department".to_string(), Some("History".to_string())),
        ]
    );
}

#[test]
fn component_interactions_carry_the_message() {
    let payload = button_click("followup-done:42", bot_message(CHANNEL_ID, "Follow-up due"), &Who::alice());
    let Interaction::Component(click) = parse_interaction(&payload) else { panic!("not a component") };
    assert_eq!(click.data.custom_id, "followup-done:42");
    assert!(matches!(click.data.kind, ComponentInteractionDataKind::Button));
    assert_eq!(click.message.content, "Follow-up due");
    assert_eq!(click.message.author.id.get(), BOT_ID);

    let payload =
        select_menu("department", &["History", "Law"], bot_message(CHANNEL_ID, "Pick"), &Who::alice());
    let Interaction::Component(select) = parse_interaction(&payload) else { panic!("not a component") };
    assert!(
        matches!(&select.data.kind, ComponentInteractionDataKind::StringSelect { values } if values == &["History", "Law"])
    );
}

#[test]
fn message_context_menu_target_is_readable() {
    let bob = Who::bob();
    let payload = message_command(
        "Save as intel",
        user_message(&bob, "Engineering wants IEEE Xplore training"),
        &Who::alice(),
    );
    let Interaction::Command(command) = parse_interaction(&payload) else { panic!("not a command") };
    assert_eq!(command.data.kind, CommandType::Message);
    let Some(ResolvedTarget::Message(message)) = command.data.target() else { panic!("no target message") };
    assert_eq!(message.content, "Engineering wants IEEE Xplore training");
    assert_eq!(message.author.name, "bob");
}

#[test]
fn dm_interactions_have_a_user_and_no_member() {
    let payload = dm_slash_command("intel", vec![opt_str("note", "from a DM")], &Who::alice());
    assert!(payload.get("member").is_none() && payload.get("guild_id").is_none());
    let Interaction::Command(command) = parse_interaction(&payload) else { panic!("not a command") };
    assert_eq!(command.guild_id, None);
    assert!(command.member.is_none());
    assert_eq!(command.user.name, "alice");
    assert_eq!(command.channel_id.get(), dm_channel_id(user_id(1)));
    assert_eq!(command.channel.as_ref().map(|c| c.kind), Some(ChannelType::Private));
    assert_eq!(command.context, Some(InteractionContext::BotDm));
}

#[test]
fn members_carry_roles_and_permissions() {
    let admin = parse_interaction(&slash_command("stats", vec![], &Who::admin().with_roles(&[role_id(7)])));
    let admin = admin.command().expect("command").member.expect("member");
    assert_eq!(admin.permissions, Some(Permissions::ADMINISTRATOR));
    assert_eq!(admin.roles, vec![RoleId::new(role_id(7))]);

    let manager = parse_interaction(&slash_command("stats", vec![], &Who::manager()));
    let manager = manager.command().expect("command").member.expect("member");
    assert!(manager.permissions.expect("permissions").contains(Permissions::MANAGE_GUILD));

    let custom = parse_interaction(&slash_command("stats", vec![], &Who::bob().with_permissions("32")));
    assert_eq!(
        custom.command().expect("command").member.expect("member").permissions,
        Some(Permissions::MANAGE_GUILD)
    );
}

#[test]
fn interaction_ids_and_tokens_are_unique() {
    let (a, b) = (slash_command("x", vec![], &Who::alice()), slash_command("x", vec![], &Who::alice()));
    assert_ne!(interaction_id(&a), interaction_id(&b));
    assert_ne!(interaction_token(&a), interaction_token(&b));
}

#[test]
fn message_builders_parse_as_serenity_messages() {
    for message in [bot_message(CHANNEL_ID, "hi"), user_message(&Who::bob(), "hello")] {
        let parsed: Message = serde_json::from_value(message.clone()).expect("a serenity Message");
        assert_eq!(parsed.content, message["content"]);
    }
}

// --------------------------------------------------------------------- a serenity client

enum BotEvent {
    Ready { session_id: String },
    Handled { kind: &'static str, detail: String },
    Failed { what: String, status: u16, code: isize },
}

struct TestHandler {
    events: mpsc::UnboundedSender<BotEvent>,
}

fn reply(content: impl Into<String>) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(content)
            .ephemeral(true)
            .allowed_mentions(CreateAllowedMentions::new()),
    )
}

/// The status and Discord code of a failed serenity call (never the URL: it holds the token).
fn failure(err: &serenity::Error) -> (u16, isize) {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            (response.status_code.as_u16(), response.error.code)
        }
        _ => (0, 0),
    }
}

impl TestHandler {
    fn send(&self, event: BotEvent) {
        let _ = self.events.send(event);
    }

    fn check(&self, what: &str, result: serenity::Result<impl Sized>) -> bool {
        match result {
            Ok(_) => true,
            Err(err) => {
                let (status, code) = failure(&err);
                self.send(BotEvent::Failed { what: what.to_string(), status, code });
                false
            }
        }
    }
}

#[serenity::async_trait]
impl EventHandler for TestHandler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        self.send(BotEvent::Ready { session_id: ready.session_id });
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let http = &ctx.http;
        match interaction {
            Interaction::Command(command) if command.data.kind == CommandType::Message => {
                let content = match command.data.target() {
                    Some(ResolvedTarget::Message(message)) => message.content.clone(),
                    _ => String::new(),
                };
                if self.check(
                    "message command",
                    command.create_response(http, reply(format!("saved: {content}"))).await,
                ) {
                    self.send(BotEvent::Handled { kind: "message_command", detail: content });
                }
            }
            Interaction::Command(command) => match command.data.name.as_str() {
                "slow" => {
                    let deferred = command.defer_ephemeral(http).await;
                    if self.check("defer", deferred) {
                        let edit = EditInteractionResponse::new()
                            .content("done")
                            .allowed_mentions(CreateAllowedMentions::new());
                        if self.check("edit", command.edit_response(http, edit).await) {
                            self.send(BotEvent::Handled { kind: "slow", detail: String::new() });
                        }
                    }
                }
                "twice" => {
                    let _ = command.defer(http).await;
                    self.check("second response", command.create_response(http, reply("again")).await);
                }
                name => {
                    if self
                        .check("reply", command.create_response(http, reply(format!("pong: {name}"))).await)
                    {
                        self.send(BotEvent::Handled { kind: "command", detail: name.to_string() });
                    }
                }
            },
            Interaction::Autocomplete(command) => {
                let typed = command.data.autocomplete().map(|o| o.value.to_string()).unwrap_or_default();
                let choices =
                    CreateAutocompleteResponse::new().add_string_choice(format!("{typed}tory"), "history");
                if self.check(
                    "autocomplete",
                    command.create_response(http, CreateInteractionResponse::Autocomplete(choices)).await,
                ) {
                    self.send(BotEvent::Handled { kind: "autocomplete", detail: typed });
                }
            }
            Interaction::Modal(modal) => {
                let values: Vec<String> = modal
                    .data
                    .components
                    .iter()
                    .flat_map(|row| &row.components)
                    .filter_map(|c| match c {
                        ActionRowComponent::InputText(input) => input.value.clone(),
                        _ => None,
                    })
                    .collect();
                if self.check("modal", modal.create_response(http, reply(values.join("|"))).await) {
                    self.send(BotEvent::Handled { kind: "modal", detail: values.join("|") });
                }
            }
            Interaction::Component(click) => {
                let update = CreateInteractionResponse::UpdateMessage(
                    CreateInteractionResponseMessage::new()
                        .content(format!("clicked {}", click.data.custom_id)),
                );
                if self.check("component", click.create_response(http, update).await) {
                    self.send(BotEvent::Handled { kind: "component", detail: click.data.custom_id.clone() });
                }
            }
            _ => {}
        }
    }
}

struct Bot {
    shard_manager: Arc<ShardManager>,
    task: JoinHandle<serenity::Result<()>>,
    events: mpsc::UnboundedReceiver<BotEvent>,
}

/// Builds the client as the bot will: proxy + ratelimiter off, then `new_with_http`.
async fn start_bot(fake: &FakeDiscord, token: &str) -> Bot {
    let (events, rx) = mpsc::unbounded_channel();
    let http = fake.http_with_token(token);
    let mut client: Client = ClientBuilder::new_with_http(http, GatewayIntents::non_privileged())
        .event_handler(TestHandler { events })
        .await
        .expect("the client builds");
    let shard_manager = Arc::clone(&client.shard_manager);
    let task = tokio::spawn(async move { client.start().await });
    Bot { shard_manager, task, events: rx }
}

impl Bot {
    async fn next_event(&mut self, what: &str) -> BotEvent {
        match tokio::time::timeout(WAIT, self.events.recv()).await {
            Ok(Some(event)) => event,
            Ok(None) => panic!("handler gone while waiting for {what}"),
            Err(_) => panic!("no handler event within {WAIT:?} while waiting for {what}"),
        }
    }

    async fn expect_ready(&mut self) -> String {
        match self.next_event("ready").await {
            BotEvent::Ready { session_id } => session_id,
            _ => panic!("expected ready first"),
        }
    }

    async fn expect_handled(&mut self, kind: &str) -> String {
        match self.next_event(kind).await {
            BotEvent::Handled { kind: got, detail } if got == kind => detail,
            BotEvent::Handled { kind: got, .. } => panic!("expected {kind}, handler did {got}"),
            BotEvent::Ready { .. } => panic!("expected {kind}, got another ready"),
            BotEvent::Failed { what, status, code } => {
                panic!("expected {kind}: {what} failed with {status} / {code}")
            }
        }
    }

    async fn shutdown(self) {
        let started = Instant::now();
        self.shard_manager.shutdown_all().await;
        match tokio::time::timeout(WAIT, self.task).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(err))) => panic!("client.start() failed: {err}"),
            Ok(Err(join)) => panic!("client task: {join}"),
            Err(_) => panic!("client did not stop within {WAIT:?}"),
        }
        println!("shutdown_all + start() return: {:?}", started.elapsed());
    }
}

fn callback_body(request: &RecordedRequest) -> &Value {
    request.payload().expect("callback has a JSON body")
}

// ------------------------------------------------------------------------------ 2. round trip

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_command_round_trip_through_the_real_client() {
    let fake = FakeDiscord::start(TOKEN).await;
    let started = Instant::now();
    let mut bot = start_bot(&fake, TOKEN).await;
    let session = bot.expect_ready().await;
    fake.wait_ready(WAIT).await.expect("live session");
    println!("client built, identified and ready in {:?} ({session})", started.elapsed());
    assert_eq!(fake.identify_count(), 1);
    let identify = fake.last_identify().expect("identify");
    assert_eq!(identify["d"]["token"], format!("Bot {TOKEN}"), "serenity sends the token with \"Bot \"");
    assert_eq!(identify["d"]["intents"], GatewayIntents::non_privileged().bits());
    assert!(fake.gateway_frames()[0]["query"].as_str().is_some_and(|q| q.contains("v=10")));

    let mut times = Vec::new();
    for i in 0..20 {
        let payload = slash_command("ping", vec![opt_str("n", &i.to_string())], &Who::alice());
        let sent = Instant::now();
        fake.dispatch_interaction(&payload).await.expect("dispatch");
        let callback = fake.wait_for_callback(&payload, WAIT).await.expect("interaction callback");
        times.push(sent.elapsed());
        assert_eq!(callback.status, 204);
        assert_eq!(
            callback.api_path(),
            format!("/interactions/{}/{}/callback", interaction_id(&payload), interaction_token(&payload))
        );
        let body = callback_body(&callback);
        assert_eq!(body["type"], 4);
        assert_eq!(body["data"]["flags"], 64);
        assert_eq!(body["data"]["content"], "pong: ping");
        assert_eq!(body["data"]["allowed_mentions"]["parse"], json!([]));
        assert_eq!(bot.expect_handled("command").await, "ping");
    }
    let first = times[0];
    times.sort();
    println!(
        "dispatch → callback round trip: first {first:?}, min {:?}, median {:?}, max {:?} (20 runs)",
        times[0], times[10], times[19]
    );

    // Defer, then edit the original.
    let payload = slash_command("slow", vec![], &Who::bob());
    fake.dispatch_interaction(&payload).await.expect("dispatch");
    bot.expect_handled("slow").await;
    let callback = fake.wait_for_callback(&payload, WAIT).await.expect("defer callback");
    assert_eq!(callback_body(&callback)["type"], 5);
    assert_eq!(callback_body(&callback)["data"]["flags"], 64);
    let edit_path = format!("/webhooks/{APP_ID}/{}/messages/@original", interaction_token(&payload));
    let edit =
        fake.wait_for_request(|r| r.matches("PATCH", &edit_path), WAIT).await.expect("PATCH @original");
    assert_eq!(edit.status, 200);
    assert_eq!(edit.payload().expect("edit body")["content"], "done");
    assert_eq!(fake.original_response(interaction_token(&payload)).expect("original")["content"], "done");

    assert!(fake.unexpected_requests().is_empty(), "unexpected: {:?}", fake.unexpected_requests());
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_interaction_kind_reaches_the_handler() {
    let fake = FakeDiscord::start(TOKEN).await;
    let mut bot = start_bot(&fake, TOKEN).await;
    bot.expect_ready().await;

    let payload = autocomplete("search", vec![opt_focused("department", "His")], &Who::alice());
    fake.dispatch_interaction(&payload).await.expect("dispatch");
    assert_eq!(bot.expect_handled("autocomplete").await, "His");
    let body = callback_body(&fake.wait_for_callback(&payload, WAIT).await.expect("callback")).clone();
    assert_eq!(body, json!({"type": 8, "data": {"choices": [{"name": "History", "value": "history"}]}}));

    let payload =
        modal_submit("intel-modal", &[("note", "EEBO training"), ("department", "History")], &Who::alice());
    fake.dispatch_interaction(&payload).await.expect("dispatch");
    assert_eq!(bot.expect_handled("modal").await, "EEBO training|History");

    let payload = button_click("done:1", bot_message(CHANNEL_ID, "Follow-up due"), &Who::alice());
    fake.dispatch_interaction(&payload).await.expect("dispatch");
    assert_eq!(bot.expect_handled("component").await, "done:1");
    assert_eq!(callback_body(&fake.wait_for_callback(&payload, WAIT).await.expect("callback"))["type"], 7);

    let target = user_message(&Who::bob(), "Law school wants Westlaw refresher");
    fake.dispatch_interaction(&message_command("Save as intel", target, &Who::alice()))
        .await
        .expect("dispatch");
    assert_eq!(bot.expect_handled("message_command").await, "Law school wants Westlaw refresher");

    fake.dispatch_interaction(&dm_slash_command("intel", vec![], &Who::alice())).await.expect("dispatch");
    assert_eq!(bot.expect_handled("command").await, "intel");

    // Trap 1 of discord-limits.md: a second response after a defer is refused with 40060.
    fake.dispatch_interaction(&slash_command("twice", vec![], &Who::alice())).await.expect("dispatch");
    match bot.next_event("the second response").await {
        BotEvent::Failed { status, code, .. } => assert_eq!((status, code), (400, 40060)),
        _ => panic!("a second response must fail"),
    }

    // An injected failure on the callback reaches the handler as an HTTP error.
    fake.fail_next("POST", "/interactions/", Failure::Status(404));
    fake.dispatch_interaction(&slash_command("ping", vec![], &Who::alice())).await.expect("dispatch");
    match bot.next_event("the failed reply").await {
        BotEvent::Failed { status, code, .. } => assert_eq!((status, code), (404, 10062)),
        _ => panic!("the reply must fail"),
    }

    assert!(fake.unexpected_requests().is_empty(), "unexpected: {:?}", fake.unexpected_requests());
    bot.shutdown().await;
}

// ------------------------------------------------------------------------------ 3. wrong token

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_fails_start_with_invalid_authentication() {
    let fake = FakeDiscord::start(TOKEN).await;
    let started = Instant::now();
    let bot = start_bot(&fake, "not-the-token").await;
    let result =
        tokio::time::timeout(WAIT, bot.task).await.expect("start() returns within 5 s").expect("client task");
    println!("start() with a wrong token returned in {:?}", started.elapsed());
    assert!(
        matches!(
            result,
            Err(serenity::Error::Gateway(serenity::gateway::GatewayError::InvalidAuthentication))
        ),
        "got {result:?}"
    );
    let stats = fake.gateway_stats();
    assert_eq!((stats.identifies, stats.readies), (1, 0));

    let err =
        fake.http_with_token("not-the-token").get_current_user().await.expect_err("REST refuses the token");
    assert_eq!(failure(&err).0, 401);
    // No shutdown_all() here: after InvalidAuthentication it would wait its 5 s timeout for a
    // shard runner that is already gone.
}

// --------------------------------------------------------------------------- 4. REST + failures

#[tokio::test]
async fn rest_routes_answer_what_serenity_parses() {
    let fake = FakeDiscord::start(TOKEN).await;
    let http = fake.http();

    assert_eq!(http.get_gateway().await.expect("gateway").url, fake.gateway_url());
    assert_eq!(http.get_bot_gateway().await.expect("gateway/bot").shards, 1);
    assert_eq!(http.get_current_application_info().await.expect("application").id.get(), APP_ID);
    let me = http.get_current_user().await.expect("users/@me");
    assert!(me.id.get() == BOT_ID && me.bot);

    // Command registration: one bulk overwrite, echoed with ids.
    let commands = vec![
        CreateCommand::new("intel").description("Capture intel").add_option(
            CreateCommandOption::new(CommandOptionType::String, "department", "Department")
                .required(true)
                .set_autocomplete(true),
        ),
        CreateCommand::new("Save as intel").kind(CommandType::Message),
    ];
    let registered =
        serenity::all::Command::set_global_commands(&http, commands.clone()).await.expect("global");
    assert_eq!(registered.len(), 2);
    assert_eq!(registered[0].id.get(), command_id("intel"));
    assert_eq!(registered[0].application_id.get(), APP_ID);
    assert_eq!(registered[1].kind, CommandType::Message);
    let guild = GuildId::new(GUILD_ID).set_commands(&http, commands).await.expect("guild commands");
    assert_eq!(guild[0].guild_id, Some(GuildId::new(GUILD_ID)));
    assert_eq!(fake.registered_commands(Some(GUILD_ID)).len(), 2);
    let put = fake.requests_matching("PUT", &format!("/applications/{APP_ID}/commands"));
    assert_eq!(put.len(), 1);
    assert_eq!(put[0].header("authorization"), Some(format!("Bot {TOKEN}").as_str()));
    let err = serenity::all::Command::set_global_commands(
        &http,
        vec![CreateCommand::new("Intel").description("x")],
    )
    .await
    .expect_err("upper-case names are invalid");
    assert_eq!(failure(&err), (400, 50035));

    // A channel message with an embed, a button and a file (multipart).
    let message = CreateMessage::new()
        .content("Weekly digest")
        .embed(CreateEmbed::new().title("History").field("Entries", "3", true))
        .components(vec![CreateActionRow::Buttons(vec![CreateButton::new("ack").label("Seen")])])
        .add_file(CreateAttachment::bytes(b"\x89PNG fake".to_vec(), "chart.png"))
        .allowed_mentions(CreateAllowedMentions::new());
    let sent = ChannelId::new(CHANNEL_ID).send_message(&http, message).await.expect("message sent");
    assert_eq!(sent.content, "Weekly digest");
    assert_eq!(sent.embeds[0].title.as_deref(), Some("History"));
    assert_eq!(sent.attachments[0].filename, "chart.png");
    assert_eq!(sent.components.len(), 1);
    let recorded = fake.requests_matching("POST", &format!("/channels/{CHANNEL_ID}/messages")).remove(0);
    assert_eq!(recorded.payload().expect("payload_json")["content"], "Weekly digest");
    let file = &recorded.files()[0];
    assert_eq!((file.name.as_str(), file.filename.as_deref()), ("files[0]", Some("chart.png")));
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert_eq!(file.bytes, b"\x89PNG fake");
    assert_eq!(fake.channel_messages(CHANNEL_ID).len(), 1);

    // Discord's limits: an empty message and an oversized embed are 400s.
    let err = ChannelId::new(CHANNEL_ID).send_message(&http, CreateMessage::new()).await.expect_err("empty");
    assert_eq!(failure(&err), (400, 50006));
    // serenity checks 6000 per embed itself (Error::Model) but not across the embeds of a message.
    let half = CreateEmbed::new().description("x".repeat(3500));
    let two = CreateMessage::new().embeds(vec![half.clone(), half]);
    let err = ChannelId::new(CHANNEL_ID).send_message(&http, two).await.expect_err("7000 characters");
    assert_eq!(failure(&err), (400, 50035));
    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = &err else { panic!("{err:?}") };
    assert_eq!(response.error.errors[0].path, "embeds", "Discord's error paths parse");

    // DMs and channels.
    let dm = UserId::new(user_id(1)).create_dm_channel(&http).await.expect("DM channel");
    assert_eq!(dm.id.get(), dm_channel_id(user_id(1)));
    assert_eq!(dm.recipient.id.get(), user_id(1));
    assert!(matches!(http.get_channel(dm.id).await.expect("get DM"), Channel::Private(_)));
    let Channel::Guild(channel) = http.get_channel(ChannelId::new(CHANNEL_ID)).await.expect("get channel")
    else {
        panic!("a guild channel")
    };
    assert_eq!(channel.guild_id.get(), GUILD_ID);

    // GET /gateway never takes an injected failure (serenity would fall back to the real
    // gateway); the failure waits for the next matching request.
    fake.fail_next("GET", "/gateway", Failure::Status(500));
    assert_eq!(http.get_gateway().await.expect("gateway").url, fake.gateway_url());
    assert_eq!(failure(&http.get_bot_gateway().await.expect_err("gateway/bot fails")).0, 500);

    // An interaction callback with a file: multipart with payload_json and files[0].
    let interaction = slash_command("digest", vec![], &Who::alice());
    let response = json!({"type": 4, "data": {"content": "chart attached", "flags": 64}});
    let chart = CreateAttachment::bytes(b"GIF89a".to_vec(), "chart.gif");
    let id = serenity::all::InteractionId::new(interaction_id(&interaction));
    http.create_interaction_response(id, interaction_token(&interaction), &response, vec![chart])
        .await
        .expect("callback with a file");
    let callback = fake.wait_for_callback(&interaction, WAIT).await.expect("recorded");
    assert_eq!(callback.payload(), Some(&response));
    assert_eq!(callback.files()[0].content_type.as_deref(), Some("image/gif"));
    assert_eq!(
        fake.original_response(interaction_token(&interaction)).expect("original")["content"],
        "chart attached"
    );

    // Webhook routes with an interaction token the fake never dispatched.
    let token = "never-dispatched-token";
    let original = http
        .edit_original_interaction_response(token, &json!({"content": "edited"}), vec![])
        .await
        .expect("edit");
    assert_eq!(original.content, "edited");
    assert_eq!(http.get_original_interaction_response(token).await.expect("get original").content, "edited");
    let followup = http
        .create_followup_message(token, &json!({"content": "later", "flags": 64}), vec![])
        .await
        .expect("follow-up");
    assert_eq!(http.get_followup_message(token, followup.id).await.expect("get follow-up").content, "later");
    http.delete_original_interaction_response(token).await.expect("delete original");

    assert!(fake.unexpected_requests().is_empty(), "unexpected: {:?}", fake.unexpected_requests());
    let err = http.get_guild(GuildId::new(GUILD_ID)).await.expect_err("unknown route");
    assert_eq!(failure(&err).0, 404);
    assert_eq!(fake.unexpected_requests()[0].api_path(), format!("/guilds/{GUILD_ID}"));
}

#[tokio::test]
async fn injected_failures_apply_once_in_order() {
    let fake = FakeDiscord::start(TOKEN).await;
    let http = fake.http();

    fake.fail_next("POST", "/channels/", Failure::Status(500));
    fake.fail_next("POST", "/channels/", Failure::Status(403));
    fake.fail_next("POST", "/api/v10/channels/", Failure::Status(404));
    assert_eq!(failure(&send(&http).await.expect_err("500")), (500, 0));
    assert_eq!(failure(&send(&http).await.expect_err("403")), (403, 50013));
    assert_eq!(failure(&send(&http).await.expect_err("404")), (404, 10003));
    assert_eq!(send(&http).await.expect("the next call succeeds").content, "hello");
    assert_eq!(fake.pending_failures(), 0);

    // Part-way: two pass, the third fails, the fourth passes.
    fake.fail_after(2, "POST", "/channels/", Failure::Status(502));
    send(&http).await.expect("first passes");
    send(&http).await.expect("second passes");
    assert_eq!(failure(&send(&http).await.expect_err("third fails")).0, 502);
    send(&http).await.expect("fourth passes");
    assert_eq!(fake.pending_failures(), 0);

    // 429: with the ratelimiter disabled serenity returns it at once, as an error.
    fake.fail_next("POST", "/channels/", Failure::RateLimited { retry_after: 1.25, global: false });
    let started = Instant::now();
    let err = send(&http).await.expect_err("429");
    assert!(started.elapsed() < Duration::from_secs(1), "not retried");
    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = &err else { panic!("{err:?}") };
    assert_eq!(response.status_code.as_u16(), 429);
    // Discord's 429 body has no "code": serenity cannot decode it into its error (code -1), so
    // retry_after is not in the error. It is in the response the fake sent:
    assert_eq!(response.error.code, -1);
    let recorded = fake.requests_matching("POST", "/channels/");
    assert_eq!(
        recorded.iter().map(|r| r.status).collect::<Vec<_>>(),
        vec![500, 403, 404, 200, 200, 200, 502, 200, 429]
    );

    fake.fail_next("GET", "/users/@me", Failure::RateLimited { retry_after: 2.5, global: true });
    let (status, headers, body) = raw_get(&fake.api_base(), "/api/v10/users/@me", fake.token()).await;
    assert_eq!(status, 429);
    let body: Value = serde_json::from_str(&body).expect("JSON body");
    assert_eq!(body, json!({"message": "You are being rate limited.", "retry_after": 2.5, "global": true}));
    assert!(headers.contains("retry-after: 3"), "{headers}");
    assert!(headers.contains("x-ratelimit-reset-after: 2.500"), "{headers}");
    assert!(headers.contains("x-ratelimit-global: true"), "{headers}");
    assert_eq!(raw_get(&fake.api_base(), "/api/v10/users/@me", fake.token()).await.0, 200);
}

async fn send(http: &Http) -> serenity::Result<Message> {
    http.send_message(ChannelId::new(CHANNEL_ID), vec![], &json!({"content": "hello"})).await
}

/// A plain HTTP/1.1 GET (serenity keeps the body of an error response to itself).
async fn raw_get(base: &str, path: &str, token: &str) -> (u16, String, String) {
    let address = base.trim_start_matches("http://").to_string();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bot {token}\r\nConnection: close\r\n\r\n"
    );
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address).expect("connect");
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let (head, body) = response.split_once("\r\n\r\n").expect("a response");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
        (status, head.to_ascii_lowercase(), body.to_string())
    })
    .await
    .expect("raw request")
}

// -------------------------------------------------------------------------------- 5. reconnect

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_gateway_resumes_and_dispatches_still_arrive() {
    let fake = FakeDiscord::start(TOKEN).await;
    let mut bot = start_bot(&fake, TOKEN).await;
    bot.expect_ready().await;
    fake.dispatch_interaction(&slash_command("before", vec![], &Who::alice())).await.expect("dispatch");
    assert_eq!(bot.expect_handled("command").await, "before");

    let dropped = Instant::now();
    assert!(fake.drop_gateway(), "a connection to drop");
    let stats = fake
        .wait_gateway(Duration::from_secs(10), |s| s.live && s.connections == 2)
        .await
        .unwrap_or_else(|| panic!("no new live session within 10 s: {:?}", fake.gateway_stats()));
    println!("reconnected in {:?}: {stats:?}", dropped.elapsed());
    assert_eq!((stats.identifies, stats.resumes, stats.resumed), (1, 1, 1), "serenity resumes");

    let payload = slash_command("after", vec![], &Who::alice());
    fake.dispatch_interaction(&payload).await.expect("dispatch after the reconnect");
    assert_eq!(bot.expect_handled("command").await, "after", "no second ready: a resume does not fire it");
    assert!(fake.wait_for_callback(&payload, WAIT).await.is_some());
    bot.shutdown().await;
}

#[tokio::test]
async fn dispatch_without_a_session_fails_instead_of_hanging() {
    let fake = FakeDiscord::start(TOKEN).await;
    let started = Instant::now();
    let err = fake
        .dispatch_within("INTERACTION_CREATE", json!({}), Duration::from_millis(200))
        .await
        .expect_err("no session");
    assert!(err.contains("no live gateway session"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(fake.wait_for_request(|_| true, Duration::from_millis(100)).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_are_acknowledged() {
    let fake = FakeDiscord::start(TOKEN).await;
    fake.set_heartbeat_interval(Duration::from_millis(100));
    let mut bot = start_bot(&fake, TOKEN).await;
    bot.expect_ready().await;
    let stats = fake
        .wait_gateway(WAIT, |s| s.heartbeats >= 2)
        .await
        .unwrap_or_else(|| panic!("no heartbeats: {:?}", fake.gateway_stats()));
    assert_eq!((stats.connections, stats.identifies), (1, 1), "acknowledged heartbeats keep the session");
    fake.dispatch_interaction(&slash_command("ping", vec![], &Who::alice())).await.expect("dispatch");
    assert_eq!(bot.expect_handled("command").await, "ping");
    bot.shutdown().await;
}

/// Without heartbeat ACKs serenity restarts the shard: a fresh Identify, and `ready` fires again
/// (why nothing may be registered or spawned from `ready`). Slow (~6 s): serenity's restart waits
/// out its own 5 s shard-shutdown timeout before starting the shard again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_heartbeat_acks_make_serenity_identify_again() {
    let fake = FakeDiscord::start(TOKEN).await;
    fake.set_heartbeat_interval(Duration::from_millis(100));
    fake.set_heartbeat_acks(false);
    let started = Instant::now();
    let mut bot = start_bot(&fake, TOKEN).await;
    let first = bot.expect_ready().await;
    let stats = fake
        .wait_gateway(Duration::from_secs(10), |s| s.readies == 2 && s.live)
        .await
        .unwrap_or_else(|| panic!("no second READY within 10 s: {:?}", fake.gateway_stats()));
    println!("re-identified after missed ACKs in {:?}: {stats:?}", started.elapsed());
    assert_eq!(stats.identifies, 2);
    let second = match tokio::time::timeout(WAIT, bot.events.recv()).await {
        Ok(Some(BotEvent::Ready { session_id })) => session_id,
        _ => panic!("ready must fire again after a fresh Identify"),
    };
    assert_ne!(first, second, "a new session");
    fake.set_heartbeat_acks(true);
    fake.dispatch_interaction(&slash_command("ping", vec![], &Who::alice())).await.expect("dispatch");
    assert_eq!(bot.expect_handled("command").await, "ping");
    bot.shutdown().await;
}
