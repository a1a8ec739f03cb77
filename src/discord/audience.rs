//! Who can read the digest channel: `/settings show` warns when roles that may not capture can
//! see it, as a digest shares what the capturing team heard. Asks Discord for the channel's
//! permission overwrites and the guild's roles, so it lives here, at the edge.

use serenity::http::Http;
use serenity::model::channel::{Channel, PermissionOverwrite, PermissionOverwriteType};
use serenity::model::guild::Role;
use serenity::model::id::{ChannelId, GuildId as SerenityGuildId};
use serenity::model::Permissions;

use super::app::App;
use super::markup::DiscordMarkup;
use crate::config::AccessRoles;
use crate::domain::ids::RoleId;
use crate::message::{Embed, Markup};

/// The warning for `/settings show`, or `None` when every role that can see the digest channel
/// may capture (or everyone may, or there is no channel or no way to ask Discord).
pub async fn warning(app: &App, channel: u64) -> Option<Embed> {
    let access = &app.config.access;
    if access.member_roles.is_empty() || channel == 0 {
        return None;
    }
    let http = app.discord()?;
    let viewers = match outsiders_of(http, channel, access).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(channel, error = %e, "could not read who can see the digest channel");
            return Some(Embed {
                title: "Who can see the digest channel".into(),
                description: "I could not check who can see the digest channel (I need to see it, and the server's roles).".into(),
                ..Embed::default()
            });
        }
    };
    if viewers.is_empty() {
        return None;
    }
    Some(Embed {
        title: "Warning: the digest channel is visible to roles that may not capture".into(),
        description: format!(
            "{} can read {}, where the digest shares what the team heard, but may not use liaison. Limit the channel to the capturing roles, or turn off excerpts and names (`/settings digest`).",
            viewers.join(", "),
            DiscordMarkup.channel(channel)
        ),
        colour: Some(0xef6c00),
        ..Embed::default()
    })
}

async fn outsiders_of(http: &Http, channel: u64, access: &AccessRoles) -> serenity::Result<Vec<String>> {
    let Channel::Guild(channel) = http.get_channel(ChannelId::new(channel)).await? else {
        return Ok(Vec::new());
    };
    let roles = http.get_guild_roles(channel.guild_id).await?;
    Ok(outsiders(channel.guild_id, &roles, &channel.permission_overwrites, access))
}

/// The names of the roles (or "@everyone") that can view a channel with these overwrites but may
/// not capture. Each role is read as a member holding it alone would see the channel: @everyone's
/// permissions and the role's, then @everyone's overwrite, then the role's. Where @everyone can
/// view, that is the one answer: every role can.
pub fn outsiders(
    guild: SerenityGuildId,
    roles: &[Role],
    overwrites: &[PermissionOverwrite],
    access: &AccessRoles,
) -> Vec<String> {
    // @everyone's role has the guild's id.
    let everyone_id = guild.get();
    let base =
        roles.iter().find(|r| r.id.get() == everyone_id).map_or(Permissions::empty(), |r| r.permissions);
    let overwrite = |role: u64| {
        overwrites.iter().find(|o| matches!(o.kind, PermissionOverwriteType::Role(id) if id.get() == role))
    };
    let apply = |mut perms: Permissions, role: u64| {
        if let Some(o) = overwrite(role) {
            perms = (perms & !o.deny) | o.allow;
        }
        perms
    };
    let admin = Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD;
    if apply(base, everyone_id).contains(Permissions::VIEW_CHANNEL) && !base.intersects(admin) {
        return vec!["@everyone".to_string()];
    }
    let may_capture =
        |id: u64| access.member_roles.contains(&RoleId(id)) || access.admin_roles.contains(&RoleId(id));
    let mut names: Vec<String> = roles
        .iter()
        .filter(|r| r.id.get() != everyone_id && !may_capture(r.id.get()))
        .filter(|r| {
            let perms = base | r.permissions;
            // Server admins may use every command, capture included.
            !perms.intersects(admin)
                && apply(apply(perms, everyone_id), r.id.get()).contains(Permissions::VIEW_CHANNEL)
        })
        .map(|r| format!("@{}", DiscordMarkup.text(&r.name)))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const GUILD: u64 = 1_000;
    const VIEW: u64 = 1 << 10;

    fn role(id: u64, name: &str, permissions: u64) -> Role {
        serde_json::from_value(json!({
            "id": id.to_string(), "guild_id": GUILD.to_string(), "name": name, "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false, "icon": null, "unicode_emoji": null, "position": 1,
            "permissions": permissions.to_string(), "managed": false, "mentionable": false, "flags": 0,
        }))
        .expect("a role as Discord sends it")
    }

    fn overwrite(id: u64, allow: u64, deny: u64) -> PermissionOverwrite {
        serde_json::from_value(
            json!({"id": id.to_string(), "type": 0, "allow": allow.to_string(), "deny": deny.to_string()}),
        )
        .expect("an overwrite as Discord sends it")
    }

    fn access(members: &[u64], admins: &[u64]) -> AccessRoles {
        AccessRoles {
            member_roles: members.iter().copied().map(RoleId).collect(),
            admin_roles: admins.iter().copied().map(RoleId).collect(),
            reporter_roles: Vec::new(),
        }
    }

    #[test]
    fn admins_and_capturing_roles_are_no_warning_and_a_denied_role_is_none() {
        let roles = [
            role(GUILD, "@everyone", VIEW),
            role(1, "Team", 0),
            role(2, "Heads", 0),
            role(3, "Mods", Permissions::MANAGE_GUILD.bits()),
            role(4, "Visitors", 0),
            role(5, "Alumni", 0),
            role(6, "Guests", VIEW),
        ];
        // Hidden from @everyone; open to every role but Alumni, denied outright; Guests see it by
        // their own permission, as nothing denies it to them.
        let overwrites = [
            overwrite(GUILD, 0, VIEW),
            overwrite(1, VIEW, 0),
            overwrite(2, VIEW, 0),
            overwrite(3, VIEW, 0),
            overwrite(4, VIEW, 0),
            overwrite(5, 0, VIEW),
        ];
        let got = outsiders(SerenityGuildId::new(GUILD), &roles, &overwrites, &access(&[1], &[2]));
        assert_eq!(got, ["@Visitors"], "Guests are denied by @everyone's overwrite");
        let open = outsiders(SerenityGuildId::new(GUILD), &roles, &[], &access(&[1], &[2]));
        assert_eq!(open, ["@everyone"]);
    }
}
