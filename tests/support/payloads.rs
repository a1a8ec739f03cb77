//! Gateway payloads shaped as Discord documents them (developers/interactions/receiving-and-responding.mdx,
//! Interaction Object), with every field serenity 0.12.5 needs to parse them.
//!
//! A payload serenity cannot parse becomes `Event::Unknown` silently and the handler is never
//! called: `tests/fake_discord.rs` parses the output of every builder here as a gateway event.
//!
//! Builders return `serde_json::Value`; adjust anything else with `v["field"] = json!(...)`.
//! Interaction ids and tokens are unique per call.

use chrono::{SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::ids::{
    command_id, dm_channel_id, next_snowflake, user_id, APP_ID, BOT_ID, BOT_USERNAME, CHANNEL_ID, GUILD_ID,
};

/// Permission bits, as Discord numbers them (developers/topics/permissions.mdx).
pub mod perms {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;

    /// What an ordinary member has in a team channel.
    pub const MEMBER: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_APPLICATION_COMMANDS;
    /// What the bot has in the channel (`app_permissions`): everything the digest needs.
    pub const BOT: u64 = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY;
}

/// Discord's default attachment size limit (10 MiB), sent as `attachment_size_limit`.
pub const ATTACHMENT_SIZE_LIMIT: u64 = 10 * 1024 * 1024;

/// Who invokes an interaction, and from where.
#[derive(Clone, Debug)]
pub struct Who {
    pub user_id: u64,
    pub username: String,
    pub global_name: Option<String>,
    pub nick: Option<String>,
    pub roles: Vec<u64>,
    /// The member's permissions in the channel, a decimal string of bits ("8" admin, "32" Manage Server).
    pub permissions: String,
    /// `None`: a DM with the bot (no `guild_id`, no `member`, a top-level `user`).
    pub guild_id: Option<u64>,
    pub channel_id: u64,
    pub locale: String,
    /// The `attachment_size_limit` its interactions carry.
    pub attachment_size_limit: u64,
}

impl Who {
    /// An ordinary member of [`GUILD_ID`], in [`CHANNEL_ID`], no roles.
    pub fn new(user_id: u64, username: &str) -> Self {
        Who {
            user_id,
            username: username.to_string(),
            global_name: None,
            nick: None,
            roles: Vec::new(),
            permissions: perms::MEMBER.to_string(),
            guild_id: Some(GUILD_ID),
            channel_id: CHANNEL_ID,
            locale: "en-GB".to_string(),
            attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
        }
    }

    pub fn alice() -> Self {
        Who::new(user_id(1), "alice").with_global_name("Alice Liaison")
    }

    pub fn bob() -> Self {
        Who::new(user_id(2), "bob").with_global_name("Bob Enquiries")
    }

    /// A member with Administrator ("8").
    pub fn admin() -> Self {
        Who::new(user_id(3), "ada").with_permissions(&perms::ADMINISTRATOR.to_string())
    }

    /// A member with Manage Server (32) on top of the ordinary ones.
    pub fn manager() -> Self {
        Who::new(user_id(4), "morgan").with_permissions(&(perms::MEMBER | perms::MANAGE_GUILD).to_string())
    }

    pub fn with_global_name(mut self, name: &str) -> Self {
        self.global_name = Some(name.to_string());
        self
    }

    pub fn with_nick(mut self, nick: &str) -> Self {
        self.nick = Some(nick.to_string());
        self
    }

    pub fn with_roles(mut self, roles: &[u64]) -> Self {
        self.roles = roles.to_vec();
        self
    }

    /// Permission bits as Discord sends them: a decimal string.
    pub fn with_permissions(mut self, permissions: &str) -> Self {
        self.permissions = permissions.to_string();
        self
    }

    pub fn in_channel(mut self, channel_id: u64) -> Self {
        self.channel_id = channel_id;
        self
    }

    pub fn in_guild(mut self, guild_id: u64) -> Self {
        self.guild_id = Some(guild_id);
        self
    }

    /// In the user's DM with the bot.
    pub fn in_dm(mut self) -> Self {
        self.guild_id = None;
        self.channel_id = dm_channel_id(self.user_id);
        self
    }

    /// Interactions that allow files up to `bytes` each, as Discord sends for a server without
    /// boosts (its default) or with them.
    pub fn with_attachment_size_limit(mut self, bytes: u64) -> Self {
        self.attachment_size_limit = bytes;
        self
    }

    pub fn with_locale(mut self, locale: &str) -> Self {
        self.locale = locale.to_string();
        self
    }

    /// The user object.
    pub fn user_json(&self) -> Value {
        user_json(self.user_id, &self.username, self.global_name.as_deref())
    }

    /// The guild member object with `user`, as in an interaction's `member`.
    pub fn member_json(&self) -> Value {
        let mut member = self.partial_member_json();
        member["user"] = self.user_json();
        member
    }

    /// The member object without `user`, as in `data.resolved.members`.
    pub fn partial_member_json(&self) -> Value {
        json!({
            "roles": self.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
            "permissions": self.permissions,
            "nick": self.nick,
            "avatar": null,
            "banner": null,
            "joined_at": "2024-09-02T09:00:00.000000+00:00",
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "communication_disabled_until": null,
        })
    }

    fn channel_json(&self) -> Value {
        match self.guild_id {
            Some(guild_id) => json!({
                "id": self.channel_id.to_string(),
                "type": 0,
                "guild_id": guild_id.to_string(),
                "name": "liaison-desk",
                "position": 0,
                "parent_id": null,
                "topic": null,
                "nsfw": false,
                "flags": 0,
                "rate_limit_per_user": 0,
                "last_message_id": null,
                "permissions": perms::BOT.to_string(),
            }),
            None => json!({
                "id": self.channel_id.to_string(),
                "type": 1,
                "flags": 0,
                "last_message_id": null,
                "recipients": [self.user_json()],
            }),
        }
    }
}

/// A user object.
pub fn user_json(id: u64, username: &str, global_name: Option<&str>) -> Value {
    json!({
        "id": id.to_string(),
        "username": username,
        "discriminator": "0",
        "global_name": global_name,
        "avatar": null,
        "public_flags": 0,
    })
}

/// The bot's user object.
pub fn bot_user_json() -> Value {
    let mut user = user_json(BOT_ID, BOT_USERNAME, None);
    user["bot"] = json!(true);
    user
}

/// Now, as Discord writes timestamps.
pub fn now_timestamp() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, false)
}

/// A message object with every field serenity 0.12.5 requires.
pub fn message_json(id: u64, channel_id: u64, author: Value, content: &str) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": author,
        "content": content,
        "timestamp": now_timestamp(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
    })
}

/// A message a user posted in their channel (a context-menu target).
pub fn user_message(who: &Who, content: &str) -> Value {
    message_json(next_snowflake(), who.channel_id, who.user_json(), content)
}

/// A message the bot posted (the message a button was on).
pub fn bot_message(channel_id: u64, content: &str) -> Value {
    let mut message = message_json(next_snowflake(), channel_id, bot_user_json(), content);
    message["application_id"] = json!(APP_ID.to_string());
    message
}

// ---------------------------------------------------------------------------------------------
// Command options (data.options)

/// A string option (type 3).
pub fn opt_str(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// An integer option (type 4).
pub fn opt_int(name: &str, value: i64) -> Value {
    json!({"name": name, "type": 4, "value": value})
}

/// A boolean option (type 5).
pub fn opt_bool(name: &str, value: bool) -> Value {
    json!({"name": name, "type": 5, "value": value})
}

/// A number option (type 10).
pub fn opt_num(name: &str, value: f64) -> Value {
    json!({"name": name, "type": 10, "value": value})
}

/// A user option (type 6). The command builders add `data.resolved.users` (and `members` in a
/// guild) with a made-up user `user<id>`; use [`opt_user_who`] to control that user.
pub fn opt_user(name: &str, id: u64) -> Value {
    json!({"name": name, "type": 6, "value": id.to_string()})
}

/// A user option (type 6) resolved to `who` (user and member).
pub fn opt_user_who(name: &str, who: &Who) -> Value {
    let mut option = opt_user(name, who.user_id);
    option[RESOLVED_KEY] = json!({"user": who.user_json(), "member": who.partial_member_json()});
    option
}

/// A channel option (type 7), resolved as a guild text channel named `channel_name`.
pub fn opt_channel(name: &str, id: u64, channel_name: &str) -> Value {
    json!({
        "name": name,
        "type": 7,
        "value": id.to_string(),
        RESOLVED_KEY: {"channel": {
            "id": id.to_string(),
            "type": 0,
            "name": channel_name,
            "permissions": perms::MEMBER.to_string(),
            "parent_id": null,
            "flags": 0,
        }},
    })
}

/// The option being typed in an autocomplete interaction: a string option with `focused: true`
/// and the partial text as its value.
pub fn opt_focused(name: &str, partial: &str) -> Value {
    json!({"name": name, "type": 3, "value": partial, "focused": true})
}

/// A subcommand (type 1) with its options.
pub fn subcommand(name: &str, options: Vec<Value>) -> Value {
    json!({"name": name, "type": 1, "options": options})
}

/// A subcommand group (type 2) holding subcommands.
pub fn subcommand_group(name: &str, subcommands: Vec<Value>) -> Value {
    json!({"name": name, "type": 2, "options": subcommands})
}

/// Internal marker carrying what `data.resolved` needs; removed before the payload is returned.
const RESOLVED_KEY: &str = "__resolved";

// ---------------------------------------------------------------------------------------------
// Interactions

/// A slash command (interaction type 2, command type 1).
pub fn slash_command(name: &str, options: Vec<Value>, who: &Who) -> Value {
    interaction(2, command_data(name, 1, options, who), who)
}

/// A slash command sent from the user's DM with the bot: no `guild_id`, no `member`, a `user`.
pub fn dm_slash_command(name: &str, options: Vec<Value>, who: &Who) -> Value {
    slash_command(name, options, &who.clone().in_dm())
}

/// An autocomplete request (interaction type 4): `options` must hold exactly one option made
/// with [`opt_focused`] (possibly inside a subcommand).
pub fn autocomplete(name: &str, options: Vec<Value>, who: &Who) -> Value {
    let focused = count_focused(&options);
    assert_eq!(focused, 1, "autocomplete needs exactly one focused option, got {focused}");
    interaction(4, command_data(name, 1, options, who), who)
}

/// A modal submit (interaction type 5): one action row (type 1) per text input (type 4).
pub fn modal_submit(custom_id: &str, fields: &[(&str, &str)], who: &Who) -> Value {
    let rows: Vec<Value> = fields
        .iter()
        .map(|(field_id, value)| {
            json!({
                "type": 1,
                "components": [{"type": 4, "custom_id": field_id, "value": value}],
            })
        })
        .collect();
    interaction(5, json!({"custom_id": custom_id, "components": rows}), who)
}

/// A button click (interaction type 3, component type 2) on `message` (see [`bot_message`]).
pub fn button_click(custom_id: &str, message: Value, who: &Who) -> Value {
    let mut v = interaction(3, json!({"custom_id": custom_id, "component_type": 2}), who);
    v["message"] = message;
    v
}

/// A string select (interaction type 3, component type 3) with the chosen values.
pub fn select_menu(custom_id: &str, values: &[&str], message: Value, who: &Who) -> Value {
    let data = json!({"custom_id": custom_id, "component_type": 3, "values": values});
    let mut v = interaction(3, data, who);
    v["message"] = message;
    v
}

/// A message context-menu command (interaction type 2, command type 3) on `target`
/// (see [`user_message`]): `data.target_id` and `data.resolved.messages`.
pub fn message_command(name: &str, target: Value, who: &Who) -> Value {
    let target_id = target["id"].as_str().expect("target message has a string id").to_string();
    let mut data = command_data(name, 3, Vec::new(), who);
    data["target_id"] = json!(target_id);
    data["resolved"] = json!({"messages": {target_id: target}});
    interaction(2, data, who)
}

/// A gateway dispatch frame, as serenity reads it off the websocket.
pub fn dispatch_frame(event_type: &str, data: Value, seq: u64) -> Value {
    json!({"op": 0, "s": seq, "t": event_type, "d": data})
}

/// The interaction id of a payload built here.
pub fn interaction_id(interaction: &Value) -> u64 {
    interaction["id"].as_str().and_then(|id| id.parse().ok()).expect("interaction id")
}

/// The interaction token of a payload built here.
pub fn interaction_token(interaction: &Value) -> &str {
    interaction["token"].as_str().expect("interaction token")
}

fn command_data(name: &str, kind: u8, options: Vec<Value>, who: &Who) -> Value {
    let mut resolved = Map::new();
    let options: Vec<Value> = options.into_iter().map(|o| take_resolved(o, who, &mut resolved)).collect();
    let mut data = json!({"id": command_id(name).to_string(), "name": name, "type": kind});
    if !options.is_empty() {
        data["options"] = Value::Array(options);
    }
    if !resolved.is_empty() {
        data["resolved"] = Value::Object(resolved);
    }
    data
}

/// Moves the resolved objects of user and channel options into `resolved`.
fn take_resolved(mut option: Value, who: &Who, resolved: &mut Map<String, Value>) -> Value {
    let extra = option.as_object_mut().and_then(|o| o.remove(RESOLVED_KEY));
    let id = option["value"].as_str().unwrap_or_default().to_string();
    let mut add = |kind: &str, value: Value| {
        let entry = resolved.entry(kind).or_insert_with(|| json!({}));
        entry[&id] = value;
    };
    match option["type"].as_u64() {
        Some(1 | 2) => {
            if let Some(Value::Array(children)) = option.get_mut("options").map(Value::take) {
                let children: Vec<Value> =
                    children.into_iter().map(|c| take_resolved(c, who, resolved)).collect();
                option["options"] = Value::Array(children);
            }
        }
        Some(6) if option.get("focused").is_none() => {
            let (user, member) = match extra {
                Some(extra) => (extra["user"].clone(), extra["member"].clone()),
                None => {
                    let n: u64 = id.parse().unwrap_or_default();
                    let made_up = Who::new(n, &format!("user{n}"));
                    (made_up.user_json(), made_up.partial_member_json())
                }
            };
            add("users", user);
            if who.guild_id.is_some() {
                add("members", member);
            }
        }
        Some(7) if option.get("focused").is_none() => {
            if let Some(extra) = extra {
                add("channels", extra["channel"].clone());
            }
        }
        _ => {}
    }
    option
}

fn count_focused(options: &[Value]) -> usize {
    options
        .iter()
        .map(|o| {
            let own = usize::from(o["focused"].as_bool() == Some(true));
            let nested = o["options"].as_array().map_or(0, |c| count_focused(c));
            own + nested
        })
        .sum()
}

fn interaction(kind: u8, data: Value, who: &Who) -> Value {
    let id = next_snowflake();
    let mut v = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "channel_id": who.channel_id.to_string(),
        "channel": who.channel_json(),
        "token": format!("fake-interaction-token.{id}.secret"),
        "version": 1,
        "locale": who.locale,
        "app_permissions": perms::BOT.to_string(),
        "entitlements": [],
        "attachment_size_limit": who.attachment_size_limit,
    });
    match who.guild_id {
        Some(guild_id) => {
            v["guild_id"] = json!(guild_id.to_string());
            v["guild"] = json!({"id": guild_id.to_string(), "locale": "en-GB", "features": []});
            v["guild_locale"] = json!("en-GB");
            v["member"] = who.member_json();
            v["authorizing_integration_owners"] = json!({"0": guild_id.to_string()});
            v["context"] = json!(0);
        }
        None => {
            v["user"] = who.user_json();
            // A guild-installed app invoked in its bot DM: "0" means "not in a guild".
            v["authorizing_integration_owners"] = json!({"0": "0"});
            v["context"] = json!(1);
        }
    }
    v
}

/// GUILD_CREATE's data as Discord sends it when the bot joins a server, or for each of its servers
/// after READY (the GUILDS intent): the guild object plus the create event's extra fields.
pub fn guild_create(guild_id: u64, name: &str) -> Value {
    let mut guild = json!({
        "id": guild_id.to_string(),
        "name": name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "1000000000000000001",
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [{
            "id": guild_id.to_string(),
            "name": "@everyone",
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false,
            "icon": null,
            "unicode_emoji": null,
            "position": 0,
            "permissions": "1071698660929",
            "managed": false,
            "mentionable": false,
            "flags": 0
        }],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-GB",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null
    });
    // The create event's extra fields (one `json!` would pass the macro's recursion limit).
    let extra = json!({
        "joined_at": now_timestamp(),
        "large": false,
        "unavailable": false,
        "member_count": 12,
        "voice_states": [],
        "members": [],
        "channels": [],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": []
    });
    if let (Some(guild), Some(extra)) = (guild.as_object_mut(), extra.as_object()) {
        guild.extend(extra.clone());
    }
    guild
}

/// GUILD_DELETE's data: `unavailable` set for an outage, absent when the bot was removed.
pub fn guild_delete(guild_id: u64, outage: bool) -> Value {
    if outage {
        json!({"id": guild_id.to_string(), "unavailable": true})
    } else {
        json!({"id": guild_id.to_string()})
    }
}
