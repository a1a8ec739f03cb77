//! Per-guild digest settings.

use chrono::{DateTime, NaiveTime, Timelike, Utc, Weekday};
use sqlx::SqlitePool;

use super::rows;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;
use crate::store::{ids, StoreError, StoreResult};

type SettingsRow = (i64, i64, i64, i64, String, i64, i64, Option<String>);

const COLUMNS: &str =
    "guild_id, channel_id, weekday, minute_of_day, timezone, enabled, post_empty_weeks, problem";

pub(super) async fn save(pool: &SqlitePool, s: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO digest_settings ({COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, weekday = excluded.weekday, \
         minute_of_day = excluded.minute_of_day, timezone = excluded.timezone, enabled = excluded.enabled, \
         post_empty_weeks = excluded.post_empty_weeks, problem = excluded.problem, updated_at = excluded.updated_at"
    ))
    .bind(ids::guild(s.guild))
    .bind(ids::to_sql(s.channel))
    .bind(i64::from(s.weekday.num_days_from_monday()))
    .bind(i64::from(s.time.hour() * 60 + s.time.minute()))
    .bind(s.timezone.name())
    .bind(s.enabled)
    .bind(s.post_empty_weeks)
    .bind(s.problem.as_deref())
    .bind(rows::millis(now))
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn get(pool: &SqlitePool, guild: GuildId) -> StoreResult<Option<DigestSettings>> {
    let row: Option<SettingsRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM digest_settings WHERE guild_id = ?"))
            .bind(ids::guild(guild))
            .fetch_optional(pool)
            .await?;
    row.map(decode).transpose()
}

pub(super) async fn enabled(pool: &SqlitePool) -> StoreResult<Vec<DigestSettings>> {
    let rows: Vec<SettingsRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM digest_settings WHERE enabled = 1 ORDER BY guild_id"))
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(decode).collect()
}

fn decode(
    (guild, channel, weekday, minute, timezone, enabled, empty, problem): SettingsRow,
) -> StoreResult<DigestSettings> {
    let corrupt = |reason: String| StoreError::Corrupt { id: guild, reason };
    let weekday = u8::try_from(weekday)
        .ok()
        .and_then(|d| Weekday::try_from(d).ok())
        .ok_or_else(|| corrupt(format!("digest weekday {weekday}")))?;
    let time = u32::try_from(minute)
        .ok()
        .and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
        .ok_or_else(|| corrupt(format!("digest minute {minute}")))?;
    let timezone = timezone.parse().map_err(|_| corrupt(format!("digest timezone {timezone}")))?;
    Ok(DigestSettings {
        guild: GuildId(ids::from_sql(guild)),
        channel: ids::from_sql(channel),
        weekday,
        time,
        timezone,
        enabled: enabled == 1,
        post_empty_weeks: empty == 1,
        problem,
    })
}
