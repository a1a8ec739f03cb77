//! `liaison privacy forget-guild ID`: deletes everything stored for one server now, as the bot
//! does by itself once a server it was removed from has waited out its grace period.

use chrono::Utc;

use super::{operator, CliResult, Context};
use crate::domain::ids::GuildId;
use crate::domain::words;
use crate::service::privacy::departures;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Discord server (guild) id whose data is deleted.
    guild: GuildId,
}

pub async fn run(ctx: &Context, args: Args) -> CliResult {
    let entries = departures::forget(ctx.store.as_ref(), args.guild, &operator(), Utc::now()).await?;
    println!(
        "Forgot server {}: {} and everything else stored for it deleted.",
        args.guild,
        words::count(entries, "entry", "entries")
    );
    Ok(())
}
