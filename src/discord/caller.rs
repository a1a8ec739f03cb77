//! Who is asking, and what they may do: decided once per interaction, in one place.

use serenity::model::guild::Member;
use serenity::model::id::GuildId as SerenityGuildId;
use serenity::model::permissions::Permissions;

use crate::config::AccessRoles;
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
        let is_member = access.member_roles.is_empty() || roles.iter().any(|r| access.member_roles.contains(r));
        if !is_admin && !is_member {
            return Err(Refusal::NoRole);
        }
        Ok(Caller {
            guild: GuildId(guild.get()),
            user: UserId(member.user.id.get()),
            name: member.display_name().to_string(),
            is_admin,
        })
    }

    pub fn author(&self) -> Author {
        Author { id: self.user, name: self.name.clone() }
    }

    pub fn actor(&self) -> Actor {
        Actor { id: self.user, is_admin: self.is_admin }
    }
}
