//! REST routes under /api/v10: recording, authentication, injected failures, answers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::super::ids::{command_id, dm_channel_id, next_snowflake, APP_ID, BOT_ID, CHANNEL_ID, GUILD_ID};
use super::super::payloads::{bot_user_json, message_json, now_timestamp, user_json};
use super::record::{parse_body, RecordedRequest, UploadedFile, API_PREFIX};
use super::validate::{self, Problems};
use super::{lock, Failure, Hold, InteractionState, RestState, Shared};

const MAX_BODY: usize = 64 * 1024 * 1024;

pub(super) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY).await.map(|b| b.to_vec()).unwrap_or_default();
    let mut headers = BTreeMap::<String, String>::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let (json, multipart) = parse_body(headers.get("content-type").map(String::as_str), &body);
    let mut request = RecordedRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers,
        body,
        json,
        multipart,
        route: None,
        status: 0,
        received_at: Instant::now(),
    };
    let hold = shared.take_hold(&request);
    if hold == Some(Hold::BeforeEffect) {
        shared.record(request);
        return std::future::pending().await;
    }
    let reply = respond(&shared, &mut request);
    request.status = reply.status;
    shared.record(request);
    if hold == Some(Hold::AfterEffect) {
        return std::future::pending().await;
    }
    reply.into_response()
}

/// Remembers an interaction dispatched through the gateway, so callbacks can be checked.
pub(super) fn expect_interaction(shared: &Shared, interaction: &Value) {
    let Some(id) = snowflake(&interaction["id"]) else { return };
    let mut rest = lock(&shared.rest);
    rest.interactions.insert(
        id,
        InteractionState {
            kind: interaction["type"].as_u64(),
            channel_id: snowflake(&interaction["channel_id"]),
            acknowledged: false,
            upload_limit: interaction["attachment_size_limit"].as_u64(),
        },
    );
    if let Some(token) = interaction["token"].as_str() {
        rest.tokens.insert(token.to_string(), id);
    }
}

enum Route {
    Gateway,
    GatewayBot,
    Application,
    CurrentUser,
    DmChannels,
    Commands { app: String, guild: Option<String> },
    InteractionCallback { id: String, token: String },
    Followups { app: String, token: String },
    WebhookMessage { app: String, token: String, message: String },
    ChannelMessages { channel: String },
    ChannelMessage { channel: String, message: String },
    Channel { channel: String },
    GuildRoles { guild: String },
}

impl Route {
    fn parse(method: &str, segments: &[&str]) -> Option<(Route, &'static str)> {
        let s = |text: &&str| text.to_string();
        Some(match (method, segments) {
            ("GET", ["gateway"]) => (Route::Gateway, "gateway"),
            ("GET", ["gateway", "bot"]) => (Route::GatewayBot, "gateway_bot"),
            ("GET", ["applications", "@me"] | ["oauth2", "applications", "@me"]) => {
                (Route::Application, "application")
            }
            ("GET", ["users", "@me"]) => (Route::CurrentUser, "current_user"),
            ("POST", ["users", "@me", "channels"]) => (Route::DmChannels, "dm_channel"),
            ("GET" | "PUT" | "POST", ["applications", app, "commands"]) => {
                (Route::Commands { app: s(app), guild: None }, "global_commands")
            }
            ("GET" | "PUT" | "POST", ["applications", app, "guilds", guild, "commands"]) => {
                (Route::Commands { app: s(app), guild: Some(s(guild)) }, "guild_commands")
            }
            ("POST", ["interactions", id, token, "callback"]) => {
                (Route::InteractionCallback { id: s(id), token: s(token) }, "interaction_callback")
            }
            ("POST", ["webhooks", app, token]) => {
                (Route::Followups { app: s(app), token: s(token) }, "followup")
            }
            ("GET" | "PATCH" | "DELETE", ["webhooks", app, token, "messages", message]) => {
                let name = if *message == "@original" { "original_response" } else { "followup_message" };
                (Route::WebhookMessage { app: s(app), token: s(token), message: s(message) }, name)
            }
            ("POST", ["channels", channel, "messages"]) => {
                (Route::ChannelMessages { channel: s(channel) }, "channel_messages")
            }
            ("GET" | "PATCH" | "DELETE", ["channels", channel, "messages", message]) => {
                (Route::ChannelMessage { channel: s(channel), message: s(message) }, "channel_message")
            }
            ("GET", ["channels", channel]) => (Route::Channel { channel: s(channel) }, "channel"),
            ("GET", ["guilds", guild, "roles"]) => (Route::GuildRoles { guild: s(guild) }, "guild_roles"),
            _ => return None,
        })
    }

    /// Routes the real API serves without the bot token (the token is in the URL, or none).
    fn needs_bot_token(&self) -> bool {
        !matches!(
            self,
            Route::Gateway
                | Route::InteractionCallback { .. }
                | Route::Followups { .. }
                | Route::WebhookMessage { .. }
        )
    }
}

fn respond(shared: &Shared, request: &mut RecordedRequest) -> Reply {
    let versioned = request.path.starts_with(&format!("{API_PREFIX}/"));
    let segments: Vec<String> = request.segments().into_iter().map(str::to_string).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let route = if versioned { Route::parse(&request.method, &segments) } else { None };
    request.route = route.as_ref().map(|(_, name)| *name);

    if route.as_ref().is_none_or(|(r, _)| r.needs_bot_token()) {
        let expected = format!("Bot {}", shared.token);
        if request.header("authorization") != Some(expected.as_str()) {
            return Reply::error(401, 0, "401: Unauthorized");
        }
    }
    if let Some(failure) = shared.take_failure(request) {
        return failure_reply(&failure, request);
    }
    let Some((route, _)) = route else {
        return Reply::error(404, 0, "404: Not Found");
    };
    let method = request.method.as_str();
    match route {
        Route::Gateway => Reply::json(200, json!({"url": format!("ws://{}", shared.addr)})),
        Route::GatewayBot => Reply::json(
            200,
            json!({
                "url": format!("ws://{}", shared.addr),
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
            }),
        ),
        Route::Application => Reply::json(200, application()),
        Route::CurrentUser => {
            let mut user = bot_user_json();
            user["verified"] = json!(true);
            user["mfa_enabled"] = json!(false);
            user["flags"] = json!(0);
            Reply::json(200, user)
        }
        Route::DmChannels => dm_channel(shared, request),
        Route::Commands { app, guild } => commands(shared, request, &app, guild.as_deref()),
        Route::InteractionCallback { id, token } => interaction_callback(shared, request, &id, &token),
        Route::Followups { app, token } => followup(shared, request, &app, &token),
        Route::WebhookMessage { app, token, message } => {
            webhook_message(shared, request, method, &app, &token, &message)
        }
        Route::ChannelMessages { channel } => create_channel_message(shared, request, &channel),
        Route::ChannelMessage { channel, message } => {
            channel_message(shared, request, method, &channel, &message)
        }
        Route::Channel { channel } => get_channel(shared, &channel),
        Route::GuildRoles { guild } => guild_roles(shared, &guild),
    }
}

// ---------------------------------------------------------------------------------- answers

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Option<Value>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Reply {
        Reply { status, headers: Vec::new(), body: Some(body) }
    }

    fn no_content() -> Reply {
        Reply { status: 204, headers: Vec::new(), body: None }
    }

    fn error(status: u16, code: i64, message: &str) -> Reply {
        Reply::json(status, json!({"message": message, "code": code}))
    }

    fn invalid(problems: &Problems) -> Reply {
        Reply::json(
            400,
            json!({"message": "Invalid Form Body", "code": 50035, "errors": problems.to_errors()}),
        )
    }

    fn into_response(self) -> Response {
        let mut builder =
            Response::builder().status(StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK));
        for (name, value) in &self.headers {
            builder = builder.header(*name, value);
        }
        let body = match self.body {
            Some(body) => {
                builder = builder.header("content-type", "application/json");
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        builder.body(body).expect("valid response")
    }
}

fn failure_reply(failure: &Failure, request: &RecordedRequest) -> Reply {
    match failure {
        Failure::Status(429) => rate_limited(1.0, false),
        Failure::Status(status) => {
            let (code, message) = default_error(*status, request.api_path());
            Reply::error(*status, code, &message)
        }
        Failure::Discord { status, code, message } => Reply::error(*status, *code, message),
        Failure::RateLimited { retry_after, global } => rate_limited(*retry_after, *global),
    }
}

/// Discord's usual error for a status on a path.
fn default_error(status: u16, path: &str) -> (i64, String) {
    let reason = StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
    match status {
        400 => (50035, "Invalid Form Body".into()),
        403 => (50013, "Missing Permissions".into()),
        404 if path.starts_with("/interactions/") => (10062, "Unknown interaction".into()),
        404 if path.starts_with("/webhooks/") => (10015, "Unknown Webhook".into()),
        404 if path.starts_with("/channels/") && path.contains("/messages/") => {
            (10008, "Unknown Message".into())
        }
        404 => (10003, "Unknown Channel".into()),
        _ => (0, format!("{status}: {reason}")),
    }
}

/// 429 as Discord sends it (developers/topics/rate-limits.mdx).
fn rate_limited(retry_after: f64, global: bool) -> Reply {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or_default();
    let mut reply = Reply::json(
        429,
        json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": global}),
    );
    reply.headers = vec![
        ("retry-after", format!("{}", retry_after.ceil() as u64)),
        ("x-ratelimit-limit", "5".into()),
        ("x-ratelimit-remaining", "0".into()),
        ("x-ratelimit-reset", format!("{:.3}", now + retry_after)),
        ("x-ratelimit-reset-after", format!("{retry_after:.3}")),
        ("x-ratelimit-bucket", "fake-bucket".into()),
        ("x-ratelimit-scope", if global { "global" } else { "user" }.into()),
    ];
    if global {
        reply.headers.push(("x-ratelimit-global", "true".into()));
    }
    reply
}

fn unknown_message() -> Reply {
    Reply::error(404, 10008, "Unknown Message")
}

fn unknown_webhook() -> Reply {
    Reply::error(404, 10015, "Unknown Webhook")
}

fn invalid_json() -> Reply {
    Reply::error(400, 50109, "The request body contains invalid JSON.")
}

fn empty_message() -> Reply {
    Reply::error(400, 50006, "Cannot send an empty message")
}

// ----------------------------------------------------------------------------- applications

fn application() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": "Liaison (test)",
        "icon": null,
        "description": "",
        "summary": "",
        "type": null,
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0".repeat(64),
        "owner": user_json(BOT_ID - 1, "owner", None),
        "team": null,
        "flags": 0,
        "bot": bot_user_json(),
        "rpc_origins": [],
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "approximate_guild_count": 1,
    })
}

fn commands(shared: &Shared, request: &RecordedRequest, app: &str, guild: Option<&str>) -> Reply {
    if app != APP_ID.to_string() {
        return Reply::error(404, 10002, "Unknown Application");
    }
    let guild = match guild.map(str::parse::<u64>) {
        None => None,
        Some(Ok(guild)) => Some(guild),
        Some(Err(_)) => return Reply::error(404, 10004, "Unknown Guild"),
    };
    let mut rest = lock(&shared.rest);
    let stored = |rest: &mut RestState| -> Vec<Value> {
        match guild {
            None => rest.global_commands.clone(),
            Some(guild) => rest.guild_commands.get(&guild).cloned().unwrap_or_default(),
        }
    };
    let store = |rest: &mut RestState, list: Vec<Value>| match guild {
        None => rest.global_commands = list,
        Some(guild) => {
            rest.guild_commands.insert(guild, list);
        }
    };
    match request.method.as_str() {
        "GET" => Reply::json(200, Value::Array(stored(&mut rest))),
        "PUT" => {
            let Some(Value::Array(list)) = request.payload() else {
                return invalid_json();
            };
            let mut problems = Problems::default();
            validate::commands(&mut problems, list);
            if !problems.is_empty() {
                return Reply::invalid(&problems);
            }
            let version = next_snowflake();
            let echoed: Vec<Value> = list.iter().map(|c| echo_command(c, guild, version)).collect();
            store(&mut rest, echoed.clone());
            Reply::json(200, Value::Array(echoed))
        }
        _ => {
            let Some(command) = request.payload().filter(|c| c.is_object()) else {
                return invalid_json();
            };
            let mut problems = Problems::default();
            validate::commands(&mut problems, std::slice::from_ref(command));
            if !problems.is_empty() {
                return Reply::invalid(&problems);
            }
            let echoed = echo_command(command, guild, next_snowflake());
            let mut list = stored(&mut rest);
            list.retain(|c| c["name"] != echoed["name"] || c["type"] != echoed["type"]);
            list.push(echoed.clone());
            store(&mut rest, list);
            Reply::json(201, echoed)
        }
    }
}

/// A registered command as Discord returns it: the sent fields plus ids and defaults.
fn echo_command(command: &Value, guild: Option<u64>, version: u64) -> Value {
    let mut c = command.as_object().cloned().unwrap_or_default();
    let name = c.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    c.insert("id".into(), json!(command_id(&name).to_string()));
    c.insert("application_id".into(), json!(APP_ID.to_string()));
    c.insert("version".into(), json!(version.to_string()));
    c.entry("type").or_insert(json!(1));
    if !c.get("description").is_some_and(Value::is_string) {
        c.insert("description".into(), json!(""));
    }
    c.entry("options").or_insert(json!([]));
    c.entry("default_member_permissions").or_insert(Value::Null);
    c.entry("nsfw").or_insert(json!(false));
    c.entry("integration_types").or_insert(json!([0]));
    c.entry("contexts").or_insert(Value::Null);
    match guild {
        Some(guild) => {
            c.insert("guild_id".into(), json!(guild.to_string()));
        }
        None => {
            c.entry("dm_permission").or_insert(json!(true));
        }
    }
    Value::Object(c)
}

// ----------------------------------------------------------------------------- interactions

fn interaction_callback(shared: &Shared, request: &RecordedRequest, id: &str, token: &str) -> Reply {
    let Some(id) = id.parse::<u64>().ok() else {
        return Reply::error(404, 10062, "Unknown interaction");
    };
    let Some(payload) = request.payload() else {
        return invalid_json();
    };
    let kind = payload["type"].as_u64().unwrap_or(0);
    let data = &payload["data"];

    let mut rest = lock(&shared.rest);
    if rest.tokens.get(token).is_some_and(|known| *known != id) {
        return Reply::error(401, 50027, "Invalid Webhook Token");
    }
    let state = rest.interactions.entry(id).or_insert(InteractionState {
        kind: None,
        channel_id: None,
        acknowledged: false,
        upload_limit: None,
    });
    if let Some(too_large) = over_upload_limit(state.upload_limit, request) {
        return too_large;
    }
    if state.acknowledged {
        return Reply::error(400, 40060, "Interaction has already been acknowledged.");
    }
    let interaction_kind = state.kind;
    let channel_id = state.channel_id.unwrap_or(CHANNEL_ID);
    // Callback types allowed per interaction type (receiving-and-responding.mdx).
    let allowed = match kind {
        4 | 5 => interaction_kind != Some(4),
        6 | 7 => matches!(interaction_kind, None | Some(3 | 5)),
        8 => matches!(interaction_kind, None | Some(4)),
        9 => !matches!(interaction_kind, Some(4 | 5)),
        _ => false,
    };
    let mut problems = Problems::default();
    if !allowed {
        problems.0.push(validate::Problem {
            path: "type".into(),
            code: "INTERACTION_CALLBACK_TYPE_INVALID",
            message: format!("Callback type {kind} is not valid for interaction type {interaction_kind:?}."),
        });
    }
    match kind {
        4 | 7 => validate::message(&mut problems, "data", data),
        8 => validate::choices(&mut problems, "data", data),
        9 => validate::modal(&mut problems, "data", data),
        _ => {}
    }
    if !problems.is_empty() {
        return Reply::invalid(&problems);
    }
    if kind == 4 && validate::is_empty_message(data, request.files().len()) {
        return empty_message();
    }

    if let Some(state) = rest.interactions.get_mut(&id) {
        state.acknowledged = true;
    }
    rest.tokens.insert(token.to_string(), id);
    if kind == 4 || kind == 5 {
        let message = new_message(next_snowflake(), channel_id, data, request.files(), 20, true);
        rest.originals.insert(token.to_string(), message);
    }
    Reply::no_content()
}

/// Discord's answer to a request whose files together are over the interaction's
/// `attachment_size_limit`: the limit applies to all the files of a request, not to each
/// (reference.mdx, "Uploading Files").
fn over_upload_limit(limit: Option<u64>, request: &RecordedRequest) -> Option<Reply> {
    let total: u64 = request.files().iter().map(|f| f.bytes.len() as u64).sum();
    limit.filter(|limit| total > *limit).map(|_| Reply::error(413, 40005, "Request entity too large"))
}

/// The upload limit of the interaction a webhook token belongs to.
fn token_upload_limit(rest: &RestState, token: &str) -> Option<u64> {
    rest.tokens.get(token).and_then(|id| rest.interactions.get(id)).and_then(|i| i.upload_limit)
}

/// Whether a webhook token is usable: unknown tokens are accepted, known ones once acknowledged.
fn token_usable(rest: &RestState, token: &str) -> bool {
    match rest.tokens.get(token) {
        Some(id) => rest.interactions.get(id).is_none_or(|i| i.acknowledged),
        None => true,
    }
}

fn interaction_channel(rest: &RestState, token: &str) -> u64 {
    rest.tokens
        .get(token)
        .and_then(|id| rest.interactions.get(id))
        .and_then(|i| i.channel_id)
        .unwrap_or(CHANNEL_ID)
}

fn followup(shared: &Shared, request: &RecordedRequest, app: &str, token: &str) -> Reply {
    if app != APP_ID.to_string() {
        return unknown_webhook();
    }
    let Some(payload) = request.payload() else {
        return invalid_json();
    };
    let mut rest = lock(&shared.rest);
    if !token_usable(&rest, token) {
        return unknown_webhook();
    }
    if let Some(too_large) = over_upload_limit(token_upload_limit(&rest, token), request) {
        return too_large;
    }
    let mut problems = Problems::default();
    validate::message(&mut problems, "", payload);
    if !problems.is_empty() {
        return Reply::invalid(&problems);
    }
    if validate::is_empty_message(payload, request.files().len()) {
        return empty_message();
    }
    let id = next_snowflake();
    let message = new_message(id, interaction_channel(&rest, token), payload, request.files(), 20, true);
    rest.followups.insert(id, (token.to_string(), message.clone()));
    Reply::json(200, message)
}

fn webhook_message(
    shared: &Shared,
    request: &RecordedRequest,
    method: &str,
    app: &str,
    token: &str,
    message: &str,
) -> Reply {
    if app != APP_ID.to_string() {
        return unknown_webhook();
    }
    let mut rest = lock(&shared.rest);
    if !token_usable(&rest, token) {
        return unknown_message();
    }
    if let Some(too_large) = over_upload_limit(token_upload_limit(&rest, token), request) {
        return too_large;
    }
    let channel_id = interaction_channel(&rest, token);
    let stored: Option<&mut Value> = if message == "@original" {
        if method == "PATCH" && !rest.originals.contains_key(token) {
            // An interaction the fake never saw: accept the edit as its original.
            let created = new_message(next_snowflake(), channel_id, &json!({}), &[], 20, true);
            rest.originals.insert(token.to_string(), created);
        }
        rest.originals.get_mut(token)
    } else {
        let id = message.parse::<u64>().unwrap_or_default();
        rest.followups.get_mut(&id).filter(|(t, _)| t == token).map(|(_, m)| m)
    };
    let Some(stored) = stored else {
        return unknown_message();
    };
    match method {
        "GET" => Reply::json(200, stored.clone()),
        "PATCH" => edit(stored, request),
        _ => {
            if message == "@original" {
                rest.originals.remove(token);
            } else if let Ok(id) = message.parse::<u64>() {
                rest.followups.remove(&id);
            }
            Reply::no_content()
        }
    }
}

// ---------------------------------------------------------------------------------- channels

fn create_channel_message(shared: &Shared, request: &RecordedRequest, channel: &str) -> Reply {
    let Ok(channel_id) = channel.parse::<u64>() else {
        return Reply::error(404, 10003, "Unknown Channel");
    };
    let empty = json!({});
    let payload = request.payload().unwrap_or(&empty);
    let mut problems = Problems::default();
    validate::message(&mut problems, "", payload);
    if !problems.is_empty() {
        return Reply::invalid(&problems);
    }
    if validate::is_empty_message(payload, request.files().len()) {
        return empty_message();
    }
    let id = next_snowflake();
    let mut message = new_message(id, channel_id, payload, request.files(), 0, false);
    let mut rest = lock(&shared.rest);
    if !rest.dm_channels.contains_key(&channel_id) {
        message["guild_id"] = json!(GUILD_ID.to_string());
    }
    rest.channel_messages.insert(id, message.clone());
    rest.channel_message_order.push(id);
    Reply::json(200, message)
}

fn channel_message(
    shared: &Shared,
    request: &RecordedRequest,
    method: &str,
    channel: &str,
    message: &str,
) -> Reply {
    let mut rest = lock(&shared.rest);
    let id = message.parse::<u64>().unwrap_or_default();
    let Some(stored) = rest.channel_messages.get_mut(&id).filter(|m| m["channel_id"] == channel) else {
        return unknown_message();
    };
    match method {
        "GET" => Reply::json(200, stored.clone()),
        "PATCH" => edit(stored, request),
        _ => {
            rest.channel_messages.remove(&id);
            rest.channel_message_order.retain(|m| *m != id);
            Reply::no_content()
        }
    }
}

fn get_channel(shared: &Shared, channel: &str) -> Reply {
    let Ok(channel_id) = channel.parse::<u64>() else {
        return Reply::error(404, 10003, "Unknown Channel");
    };
    let rest = lock(&shared.rest);
    if let Some(recipient) = rest.dm_channels.get(&channel_id) {
        return Reply::json(200, dm_channel_json(channel_id, recipient.clone()));
    }
    Reply::json(
        200,
        json!({
            "id": channel_id.to_string(),
            "type": 0,
            "guild_id": GUILD_ID.to_string(),
            "name": format!("channel-{channel_id}"),
            "position": 0,
            "permission_overwrites": rest.channel_overwrites.get(&channel_id).cloned().unwrap_or_default(),
            "parent_id": null,
            "topic": null,
            "nsfw": false,
            "last_message_id": null,
            "rate_limit_per_user": 0,
            "flags": 0,
        }),
    )
}

/// GET /guilds/{id}/roles: the roles a test set, or only @everyone (its id is the guild's) with
/// Discord's default permissions for a new server's members.
fn guild_roles(shared: &Shared, guild: &str) -> Reply {
    let Ok(guild_id) = guild.parse::<u64>() else {
        return Reply::error(404, 10004, "Unknown Guild");
    };
    if guild_id != GUILD_ID {
        return Reply::error(404, 10004, "Unknown Guild");
    }
    let rest = lock(&shared.rest);
    let roles = rest
        .guild_roles
        .clone()
        .unwrap_or_else(|| vec![role_json(guild_id, "@everyone", 0, DEFAULT_EVERYONE)]);
    Reply::json(200, Value::Array(roles))
}

/// @everyone's permissions unless a test sets roles: VIEW_CHANNEL (1 << 10), SEND_MESSAGES
/// (1 << 11), READ_MESSAGE_HISTORY (1 << 16) and USE_APPLICATION_COMMANDS (1 << 31), the ones
/// that matter here of those Discord gives a new server's members.
pub const DEFAULT_EVERYONE: u64 = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31);

/// A role object as Discord documents it (Topics › Permissions › Role Object).
pub fn role_json(id: u64, name: &str, position: u64, permissions: u64) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

fn dm_channel(shared: &Shared, request: &RecordedRequest) -> Reply {
    let Some(user_id) = request.payload().and_then(|p| snowflake(&p["recipient_id"])) else {
        return Reply::invalid(&{
            let mut problems = Problems::default();
            problems.0.push(validate::Problem {
                path: "recipient_id".into(),
                code: "BASE_TYPE_REQUIRED",
                message: "This field is required".into(),
            });
            problems
        });
    };
    let channel_id = dm_channel_id(user_id);
    let user = user_json(user_id, &format!("user{user_id}"), None);
    lock(&shared.rest).dm_channels.insert(channel_id, user.clone());
    Reply::json(200, dm_channel_json(channel_id, user))
}

fn dm_channel_json(channel_id: u64, recipient: Value) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 1,
        "last_message_id": null,
        "flags": 0,
        "recipients": [recipient],
    })
}

// ---------------------------------------------------------------------------------- messages

/// A message the bot created from a payload (content, embeds, components, flags, files).
fn new_message(
    id: u64,
    channel_id: u64,
    payload: &Value,
    files: &[UploadedFile],
    kind: u64,
    webhook: bool,
) -> Value {
    let content = payload["content"].as_str().unwrap_or_default();
    let mut message = message_json(id, channel_id, bot_user_json(), content);
    message["type"] = json!(kind);
    for key in ["embeds", "components"] {
        if payload[key].is_array() {
            message[key] = payload[key].clone();
        }
    }
    message["tts"] = json!(payload["tts"].as_bool().unwrap_or(false));
    message["flags"] = json!(payload["flags"].as_u64().unwrap_or(0));
    message["attachments"] = attachments(channel_id, files);
    if webhook {
        message["webhook_id"] = json!(APP_ID.to_string());
        message["application_id"] = json!(APP_ID.to_string());
    }
    message
}

/// Applies an edit (PATCH) to a stored message and answers with it.
fn edit(stored: &mut Value, request: &RecordedRequest) -> Reply {
    let empty = json!({});
    let payload = request.payload().unwrap_or(&empty);
    let mut problems = Problems::default();
    validate::message(&mut problems, "", payload);
    if !problems.is_empty() {
        return Reply::invalid(&problems);
    }
    if let Some(fields) = payload.as_object() {
        for (key, value) in fields {
            match (key.as_str(), value) {
                ("content", Value::Null) => stored["content"] = json!(""),
                ("embeds" | "components", Value::Null) => stored[key] = json!([]),
                ("content" | "embeds" | "components" | "flags", value) => stored[key] = value.clone(),
                _ => {}
            }
        }
    }
    if !request.files().is_empty() {
        let channel_id = snowflake(&stored["channel_id"]).unwrap_or(CHANNEL_ID);
        stored["attachments"] = attachments(channel_id, request.files());
    }
    stored["edited_timestamp"] = json!(now_timestamp());
    Reply::json(200, stored.clone())
}

fn attachments(channel_id: u64, files: &[UploadedFile]) -> Value {
    files
        .iter()
        .map(|file| {
            let id = next_snowflake();
            let filename = file.filename.clone().unwrap_or_else(|| "file".into());
            json!({
                "id": id.to_string(),
                "filename": filename,
                "size": file.bytes.len(),
                "url": format!("https://cdn.discordapp.com/attachments/{channel_id}/{id}/{filename}"),
                "proxy_url": format!("https://media.discordapp.net/attachments/{channel_id}/{id}/{filename}"),
                "content_type": file.content_type,
            })
        })
        .collect()
}

fn snowflake(value: &Value) -> Option<u64> {
    match value {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}
