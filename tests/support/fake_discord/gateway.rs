//! The gateway websocket: Hello, Identify → READY, Heartbeat → ACK, Resume → RESUMED, dispatches.
//!
//! serenity 0.12.5 connects to `GET /gateway`'s url + "?v=10" (also when resuming: it ignores
//! `resume_gateway_url`), sends Identify with `token: "Bot <token>"`, uncompressed text frames.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::super::ids::{APP_ID, GUILD_ID};
use super::super::payloads::bot_user_json;
use super::{lock, Connection, Shared};

/// What the test side asks a connection task to do.
pub(crate) enum Outbound {
    Text(String),
    Close(u16, String),
    Drop,
}

pub(super) async fn upgrade(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| connection(shared, socket, query))
}

async fn connection(shared: Arc<Shared>, mut socket: WebSocket, query: Option<String>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = {
        let mut gateway = lock(&shared.gateway);
        gateway.stats.connections += 1;
        let id = gateway.stats.connections;
        gateway.received.push(json!({"connected": id, "query": query}));
        // A new connection replaces the previous one (serenity reconnecting).
        if let Some(old) = gateway.current.replace(Connection { id, tx: tx.clone(), live: false }) {
            let _ = old.tx.send(Outbound::Drop);
        }
        gateway.stats.live = false;
        id
    };
    shared.gateway_changed();
    let mut shutdown = shared.shutdown.subscribe();

    let interval = shared.heartbeat_interval_ms.load(Ordering::Relaxed);
    let hello = json!({"op": 10, "d": {"heartbeat_interval": interval}});
    if socket.send(Message::Text(hello.to_string().into())).await.is_ok() {
        loop {
            tokio::select! {
                incoming = socket.recv() => match incoming {
                    Some(Ok(Message::Text(text))) => on_frame(&shared, id, &tx, text.as_str()),
                    Some(Ok(Message::Binary(_) | Message::Ping(_) | Message::Pong(_))) => {},
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                },
                outbound = rx.recv() => match outbound {
                    Some(Outbound::Text(text)) => {
                        if socket.send(Message::Text(text.into())).await.is_err() {
                            break;
                        }
                    },
                    Some(Outbound::Close(code, reason)) => {
                        let frame = CloseFrame { code, reason: reason.into() };
                        let _ = socket.send(Message::Close(Some(frame))).await;
                        break;
                    },
                    // Drop the socket without a close frame: the client sees a reset.
                    Some(Outbound::Drop) | None => break,
                },
                _ = shutdown.changed() => break,
            }
        }
    }
    drop(socket);

    let mut gateway = lock(&shared.gateway);
    if gateway.current.as_ref().is_some_and(|c| c.id == id) {
        gateway.current = None;
        gateway.stats.live = false;
    }
    drop(gateway);
    shared.gateway_changed();
}

/// Handles one frame from the client; answers go through `tx` so they stay ordered with dispatches.
fn on_frame(shared: &Shared, id: u64, tx: &mpsc::UnboundedSender<Outbound>, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        let _ = tx.send(Outbound::Close(4002, "Error while decoding payload.".into()));
        return;
    };
    let op = frame["op"].as_u64();
    let mut gateway = lock(&shared.gateway);
    if op == Some(1) {
        gateway.stats.heartbeats += 1;
        if shared.ack_heartbeats.load(Ordering::Relaxed) {
            let _ = tx.send(Outbound::Text(json!({"op": 11}).to_string()));
        }
        drop(gateway);
        shared.gateway_changed();
        return;
    }
    gateway.received.push(frame.clone());
    let is_current = gateway.current.as_ref().is_some_and(|c| c.id == id);
    match op {
        Some(2) => {
            gateway.stats.identifies += 1;
            if !token_ok(shared, &frame["d"]["token"]) {
                let _ = tx.send(Outbound::Close(4004, "Authentication failed.".into()));
            } else if is_current {
                let session_id = format!("fake-session-{}", gateway.stats.identifies);
                gateway.session_id = Some(session_id.clone());
                gateway.seq = 1;
                gateway.stats.readies += 1;
                let shard = match &frame["d"]["shard"] {
                    Value::Array(shard) => Value::Array(shard.clone()),
                    _ => json!([0, 1]),
                };
                let ready = json!({
                    "op": 0, "s": 1, "t": "READY",
                    "d": {
                        "v": 10,
                        "user": ready_user(),
                        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
                        "session_id": session_id,
                        "resume_gateway_url": format!("ws://{}", shared.addr),
                        "shard": shard,
                        "application": {"id": APP_ID.to_string(), "flags": 0},
                        "private_channels": [],
                        "relationships": [],
                        "presences": [],
                        "guild_join_requests": [],
                        "geo_ordered_rtc_regions": [],
                        "user_settings": {},
                        "_trace": ["fake-discord"],
                    },
                });
                go_live(&mut gateway, tx, ready);
            }
        }
        Some(6) => {
            gateway.stats.resumes += 1;
            let session = frame["d"]["session_id"].as_str();
            if !token_ok(shared, &frame["d"]["token"]) {
                let _ = tx.send(Outbound::Close(4004, "Authentication failed.".into()));
            } else if session.is_none() || session != gateway.session_id.as_deref() {
                // Not resumable: the client must identify again.
                let _ = tx.send(Outbound::Text(json!({"op": 9, "d": false}).to_string()));
            } else if is_current {
                gateway.seq += 1;
                gateway.stats.resumed += 1;
                let resumed =
                    json!({"op": 0, "s": gateway.seq, "t": "RESUMED", "d": {"_trace": ["fake-discord"]}});
                go_live(&mut gateway, tx, resumed);
            }
        }
        _ => {}
    }
    drop(gateway);
    shared.gateway_changed();
}

fn go_live(gateway: &mut super::GatewayState, tx: &mpsc::UnboundedSender<Outbound>, frame: Value) {
    let _ = tx.send(Outbound::Text(frame.to_string()));
    if let Some(current) = gateway.current.as_mut() {
        current.live = true;
    }
    gateway.stats.live = true;
}

/// serenity sends "Bot <token>"; Discord also takes the bare token.
fn token_ok(shared: &Shared, token: &Value) -> bool {
    let token = token.as_str().unwrap_or_default();
    token.strip_prefix("Bot ").unwrap_or(token) == shared.token
}

fn ready_user() -> Value {
    let mut user = bot_user_json();
    user["verified"] = json!(true);
    user["mfa_enabled"] = json!(false);
    user["flags"] = json!(0);
    user["email"] = Value::Null;
    user
}

/// Queues a dispatch on the live connection; `None` if there is none.
pub(super) fn send_dispatch(shared: &Shared, event_type: &str, data: &Value) -> Option<u64> {
    let mut gateway = lock(&shared.gateway);
    let live = gateway.current.as_ref().is_some_and(|c| c.live);
    if !live {
        return None;
    }
    let seq = gateway.seq + 1;
    let frame = json!({"op": 0, "s": seq, "t": event_type, "d": data});
    let sent = gateway.current.as_ref().is_some_and(|c| c.tx.send(Outbound::Text(frame.to_string())).is_ok());
    if sent {
        gateway.seq = seq;
        Some(seq)
    } else {
        None
    }
}

pub(super) fn send_raw(shared: &Shared, frame: Value) -> Result<(), String> {
    let gateway = lock(&shared.gateway);
    let current = gateway.current.as_ref().ok_or("fake discord: no gateway connection")?;
    current
        .tx
        .send(Outbound::Text(frame.to_string()))
        .map_err(|_| "fake discord: connection closed".to_string())
}

pub(super) fn drop_current(shared: &Shared) -> bool {
    take_current(shared).is_some_and(|c| c.tx.send(Outbound::Drop).is_ok())
}

pub(super) fn close_current(shared: &Shared, code: u16, reason: &str) -> bool {
    take_current(shared).is_some_and(|c| c.tx.send(Outbound::Close(code, reason.to_string())).is_ok())
}

fn take_current(shared: &Shared) -> Option<Connection> {
    let mut gateway = lock(&shared.gateway);
    let current = gateway.current.take();
    gateway.stats.live = false;
    drop(gateway);
    shared.gateway_changed();
    current
}
