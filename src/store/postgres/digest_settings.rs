//! Per-guild digest settings.

use chrono::{DateTime, NaiveTime, Timelike, Utc, Weekday};
use sqlx::PgPool;

use super::rows::millis;
use crate::domain::digest_settings::DigestSettings;
use crate::domain::ids::GuildId;
use crate::store::{ids, StoreError, StoreResult};

const COLUMNS: &str =
    "guild_id, channel_id, weekday, minute_of_day, timezone, enabled, post_empty_weeks, problem";

#[derive(sqlx::FromRow)]
struct SettingsRow {
    guild_id: i64,
    channel_id: i64,
    weekday: i16,
    minute_of_day: i16,
    timezone: String,
    enabled: bool,
    post_empty_weeks: bool,
    problem: Option<String>,
}

pub(super) async fn save(pool: &PgPool, s: &DigestSettings, now: DateTime<Utc>) -> StoreResult<()> {
    // Both values are small by construction (a weekday, minutes in a day).
    let weekday = i16::try_from(s.weekday.num_days_from_monday()).unwrap_or(i16::MAX);
    let minute = i16::try_from(s.time.hour() * 60 + s.time.minute()).unwrap_or(i16::MAX);
    sqlx::query(&format!(
        "INSERT INTO digest_settings ({COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, weekday = excluded.weekday, \
         minute_of_day = excluded.minute_of_day, timezone = excluded.timezone, enabled = excluded.enabled, \
         post_empty_weeks = excluded.post_empty_weeks, problem = excluded.problem, updated_at = excluded.updated_at"
    ))
    .bind(ids::guild(s.guild))
    .bind(ids::to_sql(s.channel))
    .bind(weekday)
    .bind(minute)
    .bind(s.timezone.name())
    .bind(s.enabled)
    .bind(s.post_empty_weeks)
    .bind(s.problem.as_deref())
    .bind(millis(now))
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn get(pool: &PgPool, guild: GuildId) -> StoreResult<Option<DigestSettings>> {
    let row: Option<SettingsRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM digest_settings WHERE guild_id = $1"))
            .bind(ids::guild(guild))
            .fetch_optional(pool)
            .await?;
    row.map(decode).transpose()
}

pub(super) async fn enabled(pool: &PgPool) -> StoreResult<Vec<DigestSettings>> {
    let rows: Vec<SettingsRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM digest_settings WHERE enabled ORDER BY guild_id"))
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(decode).collect()
}

fn decode(r: SettingsRow) -> StoreResult<DigestSettings> {
    let corrupt = |reason: String| StoreError::Corrupt { id: r.guild_id, reason };
    let weekday = u8::try_from(r.weekday)
        .ok()
        .and_then(|d| Weekday::try_from(d).ok())
        .ok_or_else(|| corrupt(format!("digest weekday {}", r.weekday)))?;
    let time = u32::try_from(r.minute_of_day)
        .ok()
        .and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
        .ok_or_else(|| corrupt(format!("digest minute {}", r.minute_of_day)))?;
    let timezone = r.timezone.parse().map_err(|_| corrupt(format!("digest timezone {}", r.timezone)))?;
    Ok(DigestSettings {
        guild: GuildId(ids::from_sql(r.guild_id)),
        channel: ids::from_sql(r.channel_id),
        weekday,
        time,
        timezone,
        enabled: r.enabled,
        post_empty_weeks: r.post_empty_weeks,
        problem: r.problem,
    })
}
