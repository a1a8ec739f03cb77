//! Who is asking, and what they may do: decided once per interaction, in one place.

use serenity::model::guild::Member;
use serenity::model::id::GuildId as SerenityGuildId;
use serenity::model::permissions::Permissions;

use crate::config::AccessRoles;
use crate::domain::date_style::DateStyle;
use crate::domain::entry::Author;
use crate::domain::ids::{GuildId, RoleId, UserId};
use crate::service::entries::Actor;

/// The member behind an interaction, inside a guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub guild: GuildId,
    pub user: UserId,
    pub name: String,
    pub is_admin: bool,
    /// May run `/report`: an admin, or a member with a configured reporter role.
    pub is_reporter: bool,
    /// How the server's locale writes dates: what every reply to this caller uses.
    pub dates: DateStyle,
}

/// Why an interaction is refused before any command runs. The texts are shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("liaison works inside a server, where your team shares what it hears. Use it there, not in a direct message.")]
    DirectMessage,
    #[error("You need one of the roles this server set up for liaison to use it. Ask a server admin.")]
    NoRole,
}

impl Caller {
    /// The caller of an interaction from `guild` by `member`. DMs carry no guild or member.
    pub fn identify(
        guild: Option<SerenityGuildId>,
        member: Option<&Member>,
        access: &AccessRoles,
    ) -> Result<Caller, Refusal> {
        let (Some(guild), Some(member)) = (guild, member) else {
            return Err(Refusal::DirectMessage);
        };
        let roles: Vec<RoleId> = member.roles.iter().map(|r| RoleId(r.get())).collect();
        // In interactions Discord sends the member's computed permissions in the channel.
        let permissions = member.permissions.unwrap_or_else(Permissions::empty);
        let is_admin = permissions.intersects(Permissions::ADMINISTRATOR | Permissions::MANAGE_GUILD)
            || roles.iter().any(|r| access.admin_roles.contains(r));
        let is_member =
            access.member_roles.is_empty() || roles.iter().any(|r| access.member_roles.contains(r));
        if !is_admin && !is_member {
            return Err(Refusal::NoRole);
        }
        Ok(Caller {
            guild: GuildId(guild.get()),
            user: UserId(member.user.id.get()),
            name: member.display_name().to_string(),
            is_admin,
            is_reporter: is_admin || roles.iter().any(|r| access.reporter_roles.contains(r)),
            dates: DateStyle::default(),
        })
    }

    /// The caller with the dates of the server's locale (the interaction's `guild_locale`).
    pub fn in_locale(self, guild_locale: Option<&str>) -> Caller {
        Caller { dates: guild_locale.map(DateStyle::from_locale).unwrap_or_default(), ..self }
    }

    pub fn author(&self) -> Author {
        Author { id: self.user, name: self.name.clone() }
    }

    pub fn actor(&self) -> Actor {
        Actor { id: self.user, is_admin: self.is_admin }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(roles: &[u64], permissions: &str) -> Member {
        serde_json::from_value(serde_json::json!({
            "user": {"id": "42", "username": "alice", "discriminator": "0", "global_name": "Alice A", "avatar": null},
            "nick": null,
            "roles": roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": false,
            "mute": false,
            "flags": 0,
            "permissions": permissions,
            "guild_id": "7",
        }))
        .unwrap()
    }

    fn guild() -> Option<SerenityGuildId> {
        Some(SerenityGuildId::new(7))
    }

    #[test]
    fn a_direct_message_is_refused() {
        let m = member(&[], "0");
        assert_eq!(Caller::identify(None, Some(&m), &AccessRoles::default()), Err(Refusal::DirectMessage));
        assert_eq!(Caller::identify(guild(), None, &AccessRoles::default()), Err(Refusal::DirectMessage));
    }

    #[test]
    fn with_no_roles_configured_every_member_may_and_manage_server_is_admin() {
        let open = AccessRoles::default();
        let caller = Caller::identify(guild(), Some(&member(&[], "0")), &open).unwrap();
        assert_eq!(
            (caller.guild, caller.user, caller.name.as_str(), caller.is_admin),
            (GuildId(7), UserId(42), "Alice A", false)
        );
        assert!(Caller::identify(guild(), Some(&member(&[], "32")), &open).unwrap().is_admin);
        assert!(Caller::identify(guild(), Some(&member(&[], "8")), &open).unwrap().is_admin);
    }

    #[test]
    fn configured_roles_decide_who_may_use_it_and_who_is_admin() {
        let access = AccessRoles {
            member_roles: vec![RoleId(100)],
            admin_roles: vec![RoleId(200)],
            reporter_roles: vec![RoleId(300)],
        };
        assert_eq!(Caller::identify(guild(), Some(&member(&[5], "0")), &access), Err(Refusal::NoRole));
        assert!(!Caller::identify(guild(), Some(&member(&[100], "0")), &access).unwrap().is_reporter);
        assert!(Caller::identify(guild(), Some(&member(&[100, 300], "0")), &access).unwrap().is_reporter);
        assert!(Caller::identify(guild(), Some(&member(&[200], "0")), &access).unwrap().is_reporter);
        assert!(!Caller::identify(guild(), Some(&member(&[100], "0")), &access).unwrap().is_admin);
        assert!(Caller::identify(guild(), Some(&member(&[200], "0")), &access).unwrap().is_admin);
        // Manage Server counts as admin even without any configured role.
        assert!(Caller::identify(guild(), Some(&member(&[], "32")), &access).unwrap().is_admin);
    }
}
