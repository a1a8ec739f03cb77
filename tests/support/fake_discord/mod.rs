//! A fake Discord on 127.0.0.1 that the real serenity client talks to: REST under `/api/v10`
//! and the gateway websocket on the same port.
//!
//! ```ignore
//! let fake = FakeDiscord::start("token").await;
//! // What the bot must do with its API URL setting (fake.http() builds the same):
//! let http = HttpBuilder::new("token").proxy(fake.api_base()).ratelimiter_disabled(true).build();
//! // ClientBuilder::new_with_http(http, intents).await calls GET /api/v10/gateway while being
//! // built; client.start() then connects to fake.gateway_url() + "?v=10".
//! fake.wait_ready(Duration::from_secs(5)).await?;
//! let interaction = payloads::slash_command("intel", vec![opt_str("department", "History")], &Who::alice());
//! fake.dispatch_interaction(&interaction).await?;
//! let callback = fake.wait_for_callback(&interaction, Duration::from_secs(5)).await.expect("callback");
//! assert_eq!(callback.payload().unwrap()["type"], 4);
//! ```
//!
//! - serenity only uses the proxy when its ratelimiter is disabled; with it disabled a 429 is
//!   returned to the caller at once.
//! - Every REST request is recorded (unknown routes too: `route` is `None`, status 404).
//! - `fail_next` makes the next matching request fail (500, 403, 404, 429 ...), one per call;
//!   never GET /gateway, whose failure makes serenity fall back to the real Discord gateway.
//! - Requests are validated against Discord's documented limits (message, embed, component,
//!   modal, autocomplete and command limits; see `validate.rs`): a breach is a 400 50035 as on
//!   Discord. Interaction callbacks are checked for double acknowledgement (400 40060) and for a
//!   callback type that fits the interaction (no message reply to an autocomplete, ...).

mod gateway;
mod record;
mod rest;
mod validate;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use serenity::http::{Http, HttpBuilder};
use serenity::model::id::ApplicationId;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub use super::ids::{APP_ID, BOT_ID, BOT_USERNAME, CHANNEL_ID, GUILD_ID};
pub use record::{MultipartBody, RecordedRequest, UploadedFile, API_PREFIX};
pub use rest::{role_json, DEFAULT_EVERYONE};

/// How long `dispatch` waits for a live gateway session by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The heartbeat interval sent in Hello by default (Discord's usual value).
pub const HEARTBEAT_INTERVAL_MS: u64 = 41_250;

/// A failure to inject into the next matching REST request.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// This status with Discord's usual JSON error for it: 400 → 50035 Invalid Form Body,
    /// 401 → 0 "401: Unauthorized", 403 → 50013 Missing Permissions, 404 → 10003 Unknown Channel
    /// (10062 Unknown interaction on `/interactions/`, 10015 Unknown Webhook on `/webhooks/`),
    /// 5xx → 0 "500: Internal Server Error".
    Status(u16),
    /// A status with an explicit Discord error code and message.
    Discord { status: u16, code: i64, message: String },
    /// 429 with `{"message","retry_after","global"}`, `Retry-After` and `X-RateLimit-*` headers.
    RateLimited { retry_after: f64, global: bool },
}

/// A request the fake never answers, as if the process that sent it died waiting: before Discord
/// acted on it (nothing was created) or after (created, but the answer never arrived).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    BeforeEffect,
    AfterEffect,
}

/// Counters of the gateway conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayStats {
    /// Websocket connections accepted.
    pub connections: u64,
    /// Identify (op 2) frames received, valid or not.
    pub identifies: u64,
    /// Resume (op 6) frames received.
    pub resumes: u64,
    /// READY dispatches sent.
    pub readies: u64,
    /// RESUMED dispatches sent.
    pub resumed: u64,
    /// Heartbeat (op 1) frames received.
    pub heartbeats: u64,
    /// A connection has identified or resumed and can take dispatches.
    pub live: bool,
}

/// The fake. Dropping it stops the server and closes the gateway connection.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

impl FakeDiscord {
    /// Starts the fake on an ephemeral port of 127.0.0.1. `expected_token` is the bot token,
    /// with or without "Bot ".
    pub async fn start(expected_token: &str) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let token = expected_token.strip_prefix("Bot ").unwrap_or(expected_token).to_string();
        let shared = Arc::new(Shared::new(token, addr));
        let app = axum::Router::new()
            .route("/", axum::routing::any(gateway::upgrade))
            .fallback(rest::handle)
            .with_state(Arc::clone(&shared));
        // Without TCP_NODELAY, Nagle plus delayed ACK add ~40 ms to the first dispatch.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let server = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, app).await {
                eprintln!("fake discord: server stopped: {err}");
            }
        });
        FakeDiscord { shared, addr, server }
    }

    /// "http://127.0.0.1:PORT": what serenity's `HttpBuilder::proxy` (the bot's API URL setting)
    /// must be set to; serenity then calls `http://127.0.0.1:PORT/api/v10/...`.
    pub fn api_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// "ws://127.0.0.1:PORT", as answered by GET /gateway (serenity appends "?v=10").
    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// The expected bot token, without "Bot ".
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// A serenity `Http` pointed at the fake, with the expected token and [`APP_ID`].
    pub fn http(&self) -> Http {
        self.http_with_token(&self.shared.token)
    }

    /// A serenity `Http` pointed at the fake, with any token.
    pub fn http_with_token(&self, token: &str) -> Http {
        HttpBuilder::new(token)
            .proxy(self.api_base())
            .ratelimiter_disabled(true)
            .application_id(ApplicationId::new(APP_ID))
            .build()
    }

    // ----------------------------------------------------------------------------- REST record

    /// Every REST request so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Requests with this method whose path starts with `path_prefix` (with or without "/api/v10").
    pub fn requests_matching(&self, method: &str, path_prefix: &str) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).iter().filter(|r| r.matches(method, path_prefix)).cloned().collect()
    }

    /// Requests to routes the fake does not know (answered 404).
    pub fn unexpected_requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).iter().filter(|r| r.route.is_none()).cloned().collect()
    }

    /// Forgets the recorded requests (not the fake's state).
    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// The first recorded request (earlier ones included) that satisfies `predicate`, waiting up
    /// to `timeout` for it.
    pub async fn wait_for_request(
        &self,
        predicate: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> Option<RecordedRequest> {
        let shared = &self.shared;
        wait_for(&shared.requests_changed, timeout, || {
            lock(&shared.requests).iter().find(|r| predicate(r)).cloned()
        })
        .await
    }

    /// The interaction callback (`POST /interactions/{id}/{token}/callback`) for a payload.
    pub async fn wait_for_callback(&self, interaction: &Value, timeout: Duration) -> Option<RecordedRequest> {
        let prefix = format!("/interactions/{}/", interaction["id"].as_str().unwrap_or_default());
        self.wait_for_request(|r| r.matches("POST", &prefix), timeout).await
    }

    // ------------------------------------------------------------------------------- failures

    /// The next request with this method and path prefix (with or without "/api/v10") fails
    /// with `failure`. Failures queue: each applies to one request, in order.
    pub fn fail_next(&self, method: &str, path_prefix: &str, failure: Failure) {
        self.fail_after(0, method, path_prefix, failure);
    }

    /// Like [`FakeDiscord::fail_next`], but `passing` matching requests succeed first: a failure
    /// part-way through a sequence of posts.
    pub fn fail_after(&self, passing: usize, method: &str, path_prefix: &str, failure: Failure) {
        lock(&self.shared.failures).push_back(InjectedFailure {
            method: method.to_ascii_uppercase(),
            path_prefix: path_prefix.to_string(),
            passing,
            failure,
        });
    }

    /// The next request with this method and path prefix is never answered (see [`Hold`]). It
    /// is recorded with status 0 when held before its effect.
    pub fn hold_next(&self, method: &str, path_prefix: &str, hold: Hold) {
        lock(&self.shared.holds).push_back((method.to_ascii_uppercase(), path_prefix.to_string(), hold));
    }

    /// Injected failures not used yet.
    pub fn pending_failures(&self) -> usize {
        lock(&self.shared.failures).len()
    }

    // ---------------------------------------------------------------------------- REST state

    /// The commands last registered (global with `None`, or for a guild), as echoed.
    pub fn registered_commands(&self, guild_id: Option<u64>) -> Vec<Value> {
        let rest = lock(&self.shared.rest);
        match guild_id {
            None => rest.global_commands.clone(),
            Some(guild) => rest.guild_commands.get(&guild).cloned().unwrap_or_default(),
        }
    }

    /// The current original response of an interaction (after callbacks and edits).
    pub fn original_response(&self, interaction_token: &str) -> Option<Value> {
        lock(&self.shared.rest).originals.get(interaction_token).cloned()
    }

    /// The permission overwrites `GET /channels/{id}` shows for a guild channel: objects as
    /// Discord documents them (`{"id", "type": 0 role | 1 member, "allow", "deny"}`).
    pub fn set_channel_overwrites(&self, channel_id: u64, overwrites: Vec<Value>) {
        lock(&self.shared.rest).channel_overwrites.insert(channel_id, overwrites);
    }

    /// The roles `GET /guilds/{id}/roles` answers with (see `rest::role_json`).
    pub fn set_guild_roles(&self, roles: Vec<Value>) {
        lock(&self.shared.rest).guild_roles = Some(roles);
    }

    /// Messages created by `POST /channels/{id}/messages`, in order (after edits).
    pub fn channel_messages(&self, channel_id: u64) -> Vec<Value> {
        let rest = lock(&self.shared.rest);
        rest.channel_message_order
            .iter()
            .filter_map(|id| rest.channel_messages.get(id))
            .filter(|m| m["channel_id"].as_str() == Some(channel_id.to_string().as_str()))
            .cloned()
            .collect()
    }

    // -------------------------------------------------------------------------------- gateway

    /// Counters of the gateway conversation.
    pub fn gateway_stats(&self) -> GatewayStats {
        lock(&self.shared.gateway).stats.clone()
    }

    /// Identify frames received (valid or not).
    pub fn identify_count(&self) -> u64 {
        self.gateway_stats().identifies
    }

    /// Resume frames received.
    pub fn resume_count(&self) -> u64 {
        self.gateway_stats().resumes
    }

    /// Frames received from the client (heartbeats excepted), in order; tokens included.
    pub fn gateway_frames(&self) -> Vec<Value> {
        lock(&self.shared.gateway).received.clone()
    }

    /// The last Identify frame received.
    pub fn last_identify(&self) -> Option<Value> {
        lock(&self.shared.gateway).received.iter().rev().find(|f| f["op"] == 2).cloned()
    }

    /// Waits until a connection is live: READY (or RESUMED) has been sent on it.
    pub async fn wait_ready(&self, timeout: Duration) -> Result<(), String> {
        self.wait_gateway(timeout, |s| s.live).await.map(|_| ()).ok_or_else(|| {
            format!("fake discord: no live gateway session within {timeout:?}: {:?}", self.gateway_stats())
        })
    }

    /// Waits until the gateway counters satisfy `predicate`; returns them.
    pub async fn wait_gateway(
        &self,
        timeout: Duration,
        predicate: impl Fn(&GatewayStats) -> bool,
    ) -> Option<GatewayStats> {
        let shared = &self.shared;
        wait_for(&shared.gateway_changed, timeout, || {
            let stats = lock(&shared.gateway).stats.clone();
            predicate(&stats).then_some(stats)
        })
        .await
    }

    /// Sends a dispatch (op 0, next `s`) to the live session, waiting up to [`DEFAULT_TIMEOUT`]
    /// for one. Returns the sequence number.
    pub async fn dispatch(&self, event_type: &str, data: Value) -> Result<u64, String> {
        self.dispatch_within(event_type, data, DEFAULT_TIMEOUT).await
    }

    /// [`Self::dispatch`] with an explicit wait for a live session.
    pub async fn dispatch_within(
        &self,
        event_type: &str,
        data: Value,
        timeout: Duration,
    ) -> Result<u64, String> {
        if event_type == "INTERACTION_CREATE" {
            rest::expect_interaction(&self.shared, &data);
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
            self.wait_ready(remaining).await.map_err(|e| format!("cannot dispatch {event_type}: {e}"))?;
            if let Some(seq) = gateway::send_dispatch(&self.shared, event_type, &data) {
                return Ok(seq);
            }
            // The connection went away between the wait and the send: wait for the next one.
        }
    }

    /// Dispatches INTERACTION_CREATE with a payload from `payloads`.
    pub async fn dispatch_interaction(&self, interaction: &Value) -> Result<u64, String> {
        self.dispatch("INTERACTION_CREATE", interaction.clone()).await
    }

    /// Sends a raw frame (e.g. `{"op":7,"d":null}` Reconnect, `{"op":9,"d":false}` Invalid
    /// Session) to the current connection, live or not.
    pub fn send_gateway_frame(&self, frame: Value) -> Result<(), String> {
        gateway::send_raw(&self.shared, frame)
    }

    /// Closes the current websocket abruptly (no close frame), as a network failure would.
    /// Returns whether there was a connection. serenity then resumes on a new connection.
    pub fn drop_gateway(&self) -> bool {
        gateway::drop_current(&self.shared)
    }

    /// The heartbeat interval sent in the Hello of later connections (serenity heartbeats on
    /// it, checked about every 500 ms).
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        let millis = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX).max(1);
        self.shared.heartbeat_interval_ms.store(millis, Ordering::Relaxed);
    }

    /// Whether heartbeats get their ACK (op 11). Without ACKs serenity drops the connection at
    /// its next heartbeat check and starts the shard again: a fresh Identify and READY, about
    /// 6 s later (its restart waits out a 5 s shard-shutdown timeout).
    pub fn set_heartbeat_acks(&self, ack: bool) {
        self.shared.ack_heartbeats.store(ack, Ordering::Relaxed);
    }

    /// Closes the current websocket with a close frame (e.g. 4009 session timed out, 4004).
    pub fn close_gateway(&self, code: u16, reason: &str) -> bool {
        gateway::close_current(&self.shared, code, reason)
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.shared.shutdown.send_replace(true);
        gateway::drop_current(&self.shared);
        self.server.abort();
    }
}

// ------------------------------------------------------------------------------- shared state

pub(crate) struct Shared {
    pub token: String,
    pub addr: SocketAddr,
    pub requests: Mutex<Vec<RecordedRequest>>,
    pub requests_changed: watch::Sender<u64>,
    pub failures: Mutex<VecDeque<InjectedFailure>>,
    pub holds: Mutex<VecDeque<(String, String, Hold)>>,
    pub rest: Mutex<RestState>,
    pub gateway: Mutex<GatewayState>,
    pub gateway_changed: watch::Sender<u64>,
    pub shutdown: watch::Sender<bool>,
    pub heartbeat_interval_ms: AtomicU64,
    pub ack_heartbeats: AtomicBool,
}

impl Shared {
    fn new(token: String, addr: SocketAddr) -> Self {
        Shared {
            token,
            addr,
            requests: Mutex::default(),
            requests_changed: watch::channel(0).0,
            failures: Mutex::default(),
            holds: Mutex::default(),
            rest: Mutex::default(),
            gateway: Mutex::default(),
            gateway_changed: watch::channel(0).0,
            shutdown: watch::channel(false).0,
            heartbeat_interval_ms: AtomicU64::new(HEARTBEAT_INTERVAL_MS),
            ack_heartbeats: AtomicBool::new(true),
        }
    }

    pub fn record(&self, request: RecordedRequest) {
        lock(&self.requests).push(request);
        self.requests_changed.send_modify(|n| *n += 1);
    }

    /// Takes the first queued hold matching the request.
    pub fn take_hold(&self, request: &RecordedRequest) -> Option<Hold> {
        let mut holds = lock(&self.holds);
        let index = holds.iter().position(|(method, prefix, _)| request.matches(method, prefix))?;
        holds.remove(index).map(|(_, _, hold)| hold)
    }

    pub fn gateway_changed(&self) {
        self.gateway_changed.send_modify(|n| *n += 1);
    }

    /// Takes the first queued failure matching the request. GET /gateway never fails: serenity
    /// would fall back to the real `wss://gateway.discord.gg`.
    pub fn take_failure(&self, request: &RecordedRequest) -> Option<Failure> {
        if request.route == Some("gateway") {
            return None;
        }
        let mut failures = lock(&self.failures);
        let index = failures.iter().position(|f| request.matches(&f.method, &f.path_prefix))?;
        if let Some(f) = failures.get_mut(index).filter(|f| f.passing > 0) {
            f.passing -= 1;
            return None;
        }
        failures.remove(index).map(|f| f.failure)
    }
}

pub(crate) struct InjectedFailure {
    method: String,
    path_prefix: String,
    /// Matching requests still to let through before this failure applies.
    passing: usize,
    failure: Failure,
}

/// What the REST side remembers between requests.
#[derive(Default)]
pub(crate) struct RestState {
    pub global_commands: Vec<Value>,
    pub guild_commands: HashMap<u64, Vec<Value>>,
    /// Interactions by id: dispatched through the fake, or first seen in a callback.
    pub interactions: HashMap<u64, InteractionState>,
    /// Interaction token → interaction id.
    pub tokens: HashMap<String, u64>,
    /// Original responses by interaction token.
    pub originals: HashMap<String, Value>,
    /// Follow-up messages by id: (interaction token, message).
    pub followups: HashMap<u64, (String, Value)>,
    pub channel_messages: HashMap<u64, Value>,
    pub channel_message_order: Vec<u64>,
    /// DM channels by channel id: the recipient user.
    pub dm_channels: HashMap<u64, Value>,
    /// Permission overwrites of guild channels, by channel id (none unless a test sets them).
    pub channel_overwrites: HashMap<u64, Vec<Value>>,
    /// The guild's roles, when a test set them.
    pub guild_roles: Option<Vec<Value>>,
}

pub(crate) struct InteractionState {
    /// The interaction type (2 command, 3 component, 4 autocomplete, 5 modal), if dispatched.
    pub kind: Option<u64>,
    pub channel_id: Option<u64>,
    pub acknowledged: bool,
    /// Its `attachment_size_limit`: what the files of one request to its token may total.
    pub upload_limit: Option<u64>,
}

/// The gateway conversation's state.
#[derive(Default)]
pub(crate) struct GatewayState {
    pub stats: GatewayStats,
    pub current: Option<Connection>,
    pub session_id: Option<String>,
    pub seq: u64,
    pub received: Vec<Value>,
}

pub(crate) struct Connection {
    pub id: u64,
    pub tx: mpsc::UnboundedSender<gateway::Outbound>,
    pub live: bool,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Re-runs `check` whenever `changed` is bumped, until it returns `Some` or `timeout` passes.
async fn wait_for<T>(
    changed: &watch::Sender<u64>,
    timeout: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> Option<T> {
    let mut rx = changed.subscribe();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        rx.borrow_and_update();
        if let Some(found) = check() {
            return Some(found);
        }
        match tokio::time::timeout_at(deadline, rx.changed()).await {
            Ok(Ok(())) => {}
            _ => return check(),
        }
    }
}
