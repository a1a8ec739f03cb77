//! Configuration: `config/liaison.toml` (or the file `LIAISON_CONFIG` names) plus `LIAISON_*`
//! environment variables, read once and validated into typed values. Any problem fails start-up
//! with a message that names the key, so a typo never becomes a silent default. Where no file is
//! named and none is in the working directory, the shipped config, compiled in, is used: the
//! binary runs from anywhere (and as a service) without a copy of the source tree.
//!
//! Secrets are not read here: the Discord token comes from `DISCORD_TOKEN` (or systemd's
//! credential) where the bot starts.

use std::path::{Path, PathBuf};

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::domain::academic::{AcademicCalendar, MonthDay, Session, SessionKind};
use crate::domain::channel::{ChannelCatalogue, ChannelKey, ChannelSpec};
use crate::domain::department::{DepartmentCatalogue, DepartmentSpec};
use crate::domain::ids::{GuildId, RoleId};
use crate::domain::redaction::{
    PatternSpec, RedactionSpec, Redactor, DEFAULT_ID_PATTERN, DEFAULT_ID_PREFIXES,
};
use crate::domain::rules::Rules;
use crate::store::{DatabaseOptions, SqliteSync};

/// Where the config is read from when neither `--config` nor `LIAISON_CONFIG` says otherwise.
pub const DEFAULT_CONFIG_PATH: &str = "config/liaison.toml";

/// The shipped config, compiled in: the default where there is no file, and what
/// `liaison config init` writes out for editing.
pub const BUILT_IN_CONFIG: &str = include_str!("../config/liaison.toml");

/// Where the configuration came from, as `check-config` and the bot's start-up log say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltIn,
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::File(path) => write!(f, "{}", path.display()),
            ConfigSource::BuiltIn => f.write_str("the built-in defaults"),
        }
    }
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, or the built-in defaults.
    pub source: ConfigSource,
    /// The guild the command line works on when `--guild` is not given.
    pub default_guild: Option<GuildId>,
    pub rules: Rules,
    pub digest: DigestDefaults,
    pub access: AccessRoles,
    /// How many interactions one member, and everyone together, may have the bot work on.
    pub throttling: Throttling,
    /// The database server's pool (the URL itself comes from `--database` or `DATABASE_URL`).
    pub database: DatabaseOptions,
    /// How long text and a departed guild's data are kept.
    pub retention: Retention,
    /// Which captures are handed to a department's liaison librarians.
    pub hand_off: HandOffSettings,
}

/// `[hand_off]`: captures through these channels (the enquiry desk's, by default) are sent to
/// the liaison librarians of the departments they are about, as `/intel hand_off:true` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOffSettings {
    pub channels: Vec<ChannelKey>,
}

impl HandOffSettings {
    pub fn hands_off(&self, channel: &ChannelKey) -> bool {
        self.channels.contains(channel)
    }
}

/// The channel whose captures are handed off when the config names none.
const DEFAULT_HAND_OFF_CHANNEL: &str = "desk";

/// `[retention]`: how long liaison keeps what it was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days an entry's note, source and author name are kept (0: forever). A guild may shorten it.
    pub note_days: u32,
    /// Days a guild's data is kept after the bot was removed from it.
    pub guild_grace_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { note_days: DEFAULT_NOTE_DAYS, guild_grace_days: DEFAULT_GUILD_GRACE_DAYS }
    }
}

const DEFAULT_NOTE_DAYS: u32 = 365;
const DEFAULT_GUILD_GRACE_DAYS: u32 = 30;

/// Who may do what in Discord, by role id. Admins are also everyone with Manage Server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessRoles {
    /// Roles allowed to capture and search; empty means every member of the server.
    pub member_roles: Vec<RoleId>,
    /// Roles that may edit or delete anyone's entries and change settings.
    pub admin_roles: Vec<RoleId>,
    /// Roles that may run `/report`, besides admins.
    pub reporter_roles: Vec<RoleId>,
}

/// Limits that keep one member, or a flood, from slowing everyone's answers down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttling {
    /// At most this many interactions per member (guild and user) in any `rate_window`.
    pub rate_limit: u32,
    pub rate_window: std::time::Duration,
    /// At most this many interactions answered at once; more are told the bot is busy.
    pub max_in_flight: usize,
}

impl Default for Throttling {
    fn default() -> Self {
        Throttling {
            rate_limit: DEFAULT_RATE_LIMIT,
            rate_window: std::time::Duration::from_secs(DEFAULT_RATE_WINDOW_SECONDS),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }
}

const DEFAULT_RATE_LIMIT: u32 = 10;
const DEFAULT_RATE_WINDOW_SECONDS: u64 = 10;
const DEFAULT_MAX_IN_FLIGHT: usize = 64;

/// When and how the weekly digest goes out, unless a guild has changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestDefaults {
    pub weekday: Weekday,
    pub time: NaiveTime,
    /// A department unheard from for this many weeks is listed as quiet.
    pub quiet_after_weeks: u32,
    /// Whether a week with no entries still gets a short digest.
    pub post_empty_weeks: bool,
    /// An active partner without an entry for this many weeks is listed as gone quiet.
    pub partner_quiet_weeks: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: `{key}`: {message}")]
    Invalid { path: PathBuf, key: String, message: String },
}

// The file as written. `deny_unknown_fields` everywhere: an unknown key is an error, not ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    timezone: String,
    #[serde(default)]
    default_guild: Option<GuildId>,
    default_channel: String,
    #[serde(default)]
    digest: RawDigest,
    #[serde(default)]
    redaction: RawRedaction,
    #[serde(default)]
    discord: RawDiscord,
    #[serde(default)]
    database: RawDatabase,
    #[serde(default)]
    retention: RawRetention,
    #[serde(default)]
    hand_off: RawHandOff,
    #[serde(default)]
    academic: RawAcademic,
    channels: Vec<RawChannel>,
    departments: Vec<RawDepartment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDigest {
    #[serde(default = "default_weekday")]
    weekday: String,
    #[serde(default = "default_time")]
    time: String,
    #[serde(default = "default_quiet_weeks")]
    quiet_after_weeks: u32,
    #[serde(default = "default_true")]
    post_empty_weeks: bool,
    #[serde(default = "default_partner_quiet_weeks")]
    partner_quiet_weeks: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandOff {
    /// `None`: the desk's channel, if the catalogue has one.
    channels: Option<Vec<String>>,
}

fn default_partner_quiet_weeks() -> u32 {
    8
}

impl Default for RawDigest {
    fn default() -> Self {
        RawDigest {
            weekday: default_weekday(),
            time: default_time(),
            quiet_after_weeks: default_quiet_weeks(),
            post_empty_weeks: true,
            partner_quiet_weeks: default_partner_quiet_weeks(),
        }
    }
}

fn default_weekday() -> String {
    "monday".into()
}
fn default_time() -> String {
    "09:00".into()
}
fn default_quiet_weeks() -> u32 {
    6
}
fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRedaction {
    #[serde(default = "default_true")]
    email: bool,
    #[serde(default = "default_true")]
    card: bool,
    #[serde(default = "default_true")]
    phone: bool,
    #[serde(default = "default_true")]
    ni_number: bool,
    /// An empty string turns id redaction off.
    #[serde(default = "default_id_pattern")]
    id_pattern: String,
    /// An empty list turns prefixed ids off.
    #[serde(default = "default_id_prefixes")]
    id_prefixes: Vec<String>,
    #[serde(default)]
    postcode: bool,
    #[serde(default)]
    extra: Vec<RawPattern>,
}

impl Default for RawRedaction {
    fn default() -> Self {
        RawRedaction {
            email: true,
            card: true,
            phone: true,
            ni_number: true,
            id_pattern: default_id_pattern(),
            id_prefixes: default_id_prefixes(),
            postcode: false,
            extra: Vec::new(),
        }
    }
}

fn default_id_prefixes() -> Vec<String> {
    DEFAULT_ID_PREFIXES.map(str::to_string).to_vec()
}

fn default_id_pattern() -> String {
    DEFAULT_ID_PATTERN.into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    #[serde(default)]
    member_roles: Vec<RoleId>,
    #[serde(default)]
    admin_roles: Vec<RoleId>,
    #[serde(default)]
    reporter_roles: Vec<RoleId>,
    #[serde(default = "default_rate_limit")]
    rate_limit: u32,
    #[serde(default = "default_rate_window")]
    rate_limit_seconds: u64,
    #[serde(default = "default_max_in_flight")]
    max_in_flight: usize,
}

impl Default for RawDiscord {
    fn default() -> Self {
        RawDiscord {
            member_roles: Vec::new(),
            admin_roles: Vec::new(),
            reporter_roles: Vec::new(),
            rate_limit: default_rate_limit(),
            rate_limit_seconds: default_rate_window(),
            max_in_flight: default_max_in_flight(),
        }
    }
}

fn default_rate_limit() -> u32 {
    DEFAULT_RATE_LIMIT
}
fn default_rate_window() -> u64 {
    DEFAULT_RATE_WINDOW_SECONDS
}
fn default_max_in_flight() -> usize {
    DEFAULT_MAX_IN_FLIGHT
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    #[serde(default = "default_note_days")]
    note_days: u32,
    #[serde(default = "default_guild_grace_days")]
    guild_grace_days: u32,
}

impl Default for RawRetention {
    fn default() -> Self {
        RawRetention { note_days: DEFAULT_NOTE_DAYS, guild_grace_days: DEFAULT_GUILD_GRACE_DAYS }
    }
}

fn default_note_days() -> u32 {
    DEFAULT_NOTE_DAYS
}

fn default_guild_grace_days() -> u32 {
    DEFAULT_GUILD_GRACE_DAYS
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    #[serde(default = "default_max_connections")]
    max_connections: u32,
    #[serde(default)]
    sqlite_synchronous: RawSqliteSync,
}

impl Default for RawDatabase {
    fn default() -> Self {
        RawDatabase {
            max_connections: default_max_connections(),
            sqlite_synchronous: RawSqliteSync::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawSqliteSync {
    #[default]
    Full,
    Normal,
}

fn default_max_connections() -> u32 {
    DatabaseOptions::default().max_connections
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    name: String,
    pattern: String,
    replacement: String,
}

/// `[academic]`: each key left out takes the UK default (`AcademicCalendar::default`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAcademic {
    year_start: Option<String>,
    terms: Option<Vec<RawSession>>,
    semesters: Option<Vec<RawSession>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSession {
    name: String,
    start: String,
    end: String,
}

impl RawAcademic {
    /// The calendar, or the `academic.*` key to fix and why.
    fn calendar(self) -> Result<AcademicCalendar, (String, String)> {
        let defaults = AcademicCalendar::default();
        let year_start = match &self.year_start {
            Some(text) => MonthDay::parse(text).map_err(|m| ("academic.year_start".to_string(), m))?,
            None => defaults.year_start(),
        };
        let sessions = |kind: SessionKind, raw: Option<Vec<RawSession>>| match raw {
            None => Ok(defaults.sessions(kind).to_vec()),
            Some(raw) => raw.iter().map(|s| s.session(kind)).collect::<Result<Vec<_>, _>>(),
        };
        let terms = sessions(SessionKind::Term, self.terms)?;
        let semesters = sessions(SessionKind::Semester, self.semesters)?;
        AcademicCalendar::new(year_start, terms, semesters)
            .map_err(|e| (format!("academic.{}", e.key), e.message))
    }
}

impl RawSession {
    fn session(&self, kind: SessionKind) -> Result<Session, (String, String)> {
        let date = |text: &str, which: &str| {
            MonthDay::parse(text).map_err(|m| {
                let named = format!("the {} \"{}\": `{which}` {m}", kind.noun(), self.name.trim());
                (format!("academic.{}", kind.key()), named)
            })
        };
        Ok(Session::new(&self.name, date(&self.start, "start")?, date(&self.end, "end")?))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    key: String,
    name: String,
    informal: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDepartment {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// `false` for a department the library does not serve: never listed as quiet.
    #[serde(default = "served_by_default")]
    served: bool,
}

fn served_by_default() -> bool {
    true
}

impl Config {
    /// The config a command runs with: the file named by `--config` or `LIAISON_CONFIG` (which
    /// must exist), else `config/liaison.toml` under `working_dir` if there is one, else the
    /// built-in defaults.
    pub fn find(named: Option<&Path>, working_dir: &Path) -> Result<Config, ConfigError> {
        if let Some(path) = named {
            return Config::load(path);
        }
        let path = working_dir.join(DEFAULT_CONFIG_PATH);
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::built_in(),
            // Any other answer (a file, a directory, no permission): reading it says what is wrong.
            _ => Config::load(&path),
        }
    }

    /// The shipped config, with the environment's overrides applied as to a file's.
    pub fn built_in() -> Result<Config, ConfigError> {
        let path = Path::new("the built-in config");
        let mut config =
            Config::parse(path, BUILT_IN_CONFIG, env("LIAISON_TIMEZONE"), env("LIAISON_DEFAULT_GUILD"))?;
        config.source = ConfigSource::BuiltIn;
        Ok(config)
    }

    /// Reads and validates `path`, then applies `LIAISON_TIMEZONE` and `LIAISON_DEFAULT_GUILD`
    /// from the environment.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Config::parse(path, &text, env("LIAISON_TIMEZONE"), env("LIAISON_DEFAULT_GUILD"))
    }

    /// Validates config text; the two overrides stand for the environment variables.
    pub fn parse(
        path: &Path,
        text: &str,
        timezone_override: Option<String>,
        guild_override: Option<String>,
    ) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })?;
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            key: key.to_string(),
            message,
        };

        let (tz_key, tz_text) = match &timezone_override {
            Some(tz) => ("LIAISON_TIMEZONE", tz.as_str()),
            None => ("timezone", raw.timezone.as_str()),
        };
        let timezone: Tz = tz_text.trim().parse().map_err(|_| {
            invalid(tz_key, format!("\"{tz_text}\" is not an IANA timezone (e.g. Europe/London)"))
        })?;

        let default_guild = match guild_override {
            Some(g) => Some(g.parse::<GuildId>().map_err(|_| {
                invalid("LIAISON_DEFAULT_GUILD", format!("\"{g}\" is not a Discord server id"))
            })?),
            None => raw.default_guild,
        };

        let not_served: Vec<usize> =
            raw.departments.iter().enumerate().filter(|(_, d)| !d.served).map(|(at, _)| at).collect();
        let departments = DepartmentCatalogue::new(
            raw.departments
                .into_iter()
                .map(|d| DepartmentSpec { name: d.name, aliases: d.aliases })
                .collect(),
        )
        .map_err(|e| invalid("departments", e.to_string()))?
        .not_served(not_served);

        let channels = ChannelCatalogue::new(
            raw.channels
                .into_iter()
                .map(|c| ChannelSpec { key: c.key, name: c.name, informal: c.informal })
                .collect(),
            &raw.default_channel,
        )
        .map_err(|e| invalid("channels", e.to_string()))?;

        let spec = RedactionSpec {
            email: raw.redaction.email,
            card: raw.redaction.card,
            phone: raw.redaction.phone,
            ni_number: raw.redaction.ni_number,
            id_pattern: Some(raw.redaction.id_pattern).filter(|p| !p.trim().is_empty()),
            id_prefixes: raw.redaction.id_prefixes,
            postcode: raw.redaction.postcode,
            extra: raw
                .redaction
                .extra
                .into_iter()
                .map(|p| PatternSpec { name: p.name, pattern: p.pattern, replacement: p.replacement })
                .collect(),
        };
        let redactor = Redactor::new(&spec).map_err(|e| invalid("redaction", e.to_string()))?;

        let weekday: Weekday = raw.digest.weekday.trim().parse().map_err(|_| {
            invalid("digest.weekday", format!("\"{}\" is not a day of the week", raw.digest.weekday))
        })?;
        let time = NaiveTime::parse_from_str(raw.digest.time.trim(), "%H:%M").map_err(|_| {
            invalid("digest.time", format!("\"{}\" is not a time as HH:MM (24-hour)", raw.digest.time))
        })?;
        if raw.digest.quiet_after_weeks == 0 {
            return Err(invalid("digest.quiet_after_weeks", "must be at least 1".into()));
        }
        if raw.digest.partner_quiet_weeks == 0 {
            return Err(invalid("digest.partner_quiet_weeks", "must be at least 1".into()));
        }
        let hand_off_channels = match raw.hand_off.channels {
            Some(listed) => listed
                .iter()
                .map(|c| channels.resolve(c).map(|c| c.key().clone()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| invalid("hand_off.channels", e.to_string()))?,
            // The default applies only where there is a desk to hand off from.
            None => channels
                .by_key(&ChannelKey::from_stored(DEFAULT_HAND_OFF_CHANNEL))
                .map(|c| c.key().clone())
                .into_iter()
                .collect(),
        };

        let academic = raw.academic.calendar().map_err(|(key, message)| invalid(&key, message))?;

        let access = AccessRoles {
            member_roles: raw.discord.member_roles,
            admin_roles: raw.discord.admin_roles,
            reporter_roles: raw.discord.reporter_roles,
        };
        for (key, value) in [
            ("discord.rate_limit", u64::from(raw.discord.rate_limit)),
            ("discord.rate_limit_seconds", raw.discord.rate_limit_seconds),
            ("discord.max_in_flight", raw.discord.max_in_flight as u64),
        ] {
            if value == 0 {
                return Err(invalid(key, "must be at least 1".into()));
            }
        }
        let throttling = Throttling {
            rate_limit: raw.discord.rate_limit,
            rate_window: std::time::Duration::from_secs(raw.discord.rate_limit_seconds),
            max_in_flight: raw.discord.max_in_flight,
        };

        if raw.database.max_connections == 0 {
            return Err(invalid("database.max_connections", "must be at least 1".into()));
        }
        let sqlite_sync = match raw.database.sqlite_synchronous {
            RawSqliteSync::Full => SqliteSync::Full,
            RawSqliteSync::Normal => SqliteSync::Normal,
        };
        let database = DatabaseOptions {
            max_connections: raw.database.max_connections,
            sqlite_sync,
            ..DatabaseOptions::default()
        };

        Ok(Config {
            access,
            throttling,
            source: ConfigSource::File(path.to_path_buf()),
            default_guild,
            rules: Rules { departments, channels, redactor, timezone, academic },
            digest: DigestDefaults {
                weekday,
                time,
                quiet_after_weeks: raw.digest.quiet_after_weeks,
                post_empty_weeks: raw.digest.post_empty_weeks,
                partner_quiet_weeks: raw.digest.partner_quiet_weeks,
            },
            hand_off: HandOffSettings { channels: hand_off_channels },
            database,
            retention: Retention {
                note_days: raw.retention.note_days,
                guild_grace_days: raw.retention.guild_grace_days,
            },
        })
    }
}

/// An environment variable, unless unset or blank.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = BUILT_IN_CONFIG;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("test.toml"), text, None, None)
    }

    #[test]
    fn the_shipped_config_is_valid_and_realistic() {
        let config = parse(SHIPPED).unwrap();
        assert_eq!(config.rules.timezone, chrono_tz::Europe::London);
        assert!(config.rules.departments.len() >= 28, "about 30 departments");
        assert_eq!(config.digest.weekday, Weekday::Mon);
        assert_eq!(config.digest.time, NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        let informal: Vec<&str> =
            config.rules.channels.iter().filter(|c| c.informal()).map(|c| c.key().as_str()).collect();
        assert_eq!(informal, ["coffee", "corridor", "social-media", "research-seminar", "event", "other"]);
        let history =
            config.rules.departments.resolve("School of History, Art History and Philosophy").unwrap();
        assert_eq!(history.name(), "History");
        assert_eq!(config.default_guild, Some(GuildId(0)));
        assert_eq!(config.database.max_connections, 10);
    }

    #[test]
    fn a_department_is_served_unless_the_config_says_served_false() {
        let config = parse(SHIPPED).unwrap();
        assert!(config.rules.departments.iter().all(|d| d.served()), "the shipped config serves all");
        let marked =
            SHIPPED.replacen("name = \"Archaeology\"\n", "name = \"Archaeology\"\nserved = false\n", 1);
        let config = parse(&marked).unwrap();
        let not_served: Vec<&str> =
            config.rules.departments.iter().filter(|d| !d.served()).map(|d| d.name()).collect();
        assert_eq!(not_served, ["Archaeology"]);
        let err = parse(&SHIPPED.replacen(
            "name = \"Archaeology\"\n",
            "name = \"Archaeology\"\nserved = \"no\"\n",
            1,
        ))
        .unwrap_err();
        assert!(err.to_string().contains("served"), "{err}");
    }

    #[test]
    fn with_no_file_named_or_in_the_working_dir_the_built_in_config_is_used() {
        let dir = tempfile::TempDir::new().unwrap();
        let config = Config::find(None, dir.path()).unwrap();
        assert_eq!(config.source, ConfigSource::BuiltIn);
        assert_eq!(config.source.to_string(), "the built-in defaults");
        assert_eq!(config.rules.departments.len(), parse(SHIPPED).unwrap().rules.departments.len());
    }

    #[test]
    fn a_config_in_the_working_dir_wins_over_the_built_in_one_and_a_named_file_over_both() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::create_dir(dir.path().join("config")).unwrap();
        let local = dir.path().join(DEFAULT_CONFIG_PATH);
        std::fs::write(&local, SHIPPED.replace("weekday = \"monday\"", "weekday = \"friday\"")).unwrap();
        let config = Config::find(None, dir.path()).unwrap();
        assert_eq!(config.source, ConfigSource::File(local.clone()));
        assert_eq!(config.digest.weekday, Weekday::Fri);

        let named = dir.path().join("named.toml");
        std::fs::write(&named, SHIPPED.replace("weekday = \"monday\"", "weekday = \"tuesday\"")).unwrap();
        let config = Config::find(Some(&named), dir.path()).unwrap();
        assert_eq!((config.source, config.digest.weekday), (ConfigSource::File(named), Weekday::Tue));

        // A broken file in the working dir is an error, not a reason to fall back.
        std::fs::write(&local, "timezone = ").unwrap();
        assert!(matches!(Config::find(None, dir.path()), Err(ConfigError::Parse { .. })));
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error_not_the_built_in_config() {
        let dir = tempfile::TempDir::new().unwrap();
        let missing = dir.path().join("missing.toml");
        let err = Config::find(Some(&missing), dir.path()).unwrap_err();
        assert!(matches!(&err, ConfigError::Read { path, .. } if *path == missing), "{err}");
        assert!(err.to_string().contains("missing.toml"), "{err}");
    }

    #[test]
    fn the_database_section_is_optional_and_checked() {
        let start = SHIPPED.find("[database]").expect("the shipped config documents [database]");
        let end = SHIPPED[start..].find("\n\n").map_or(SHIPPED.len(), |n| start + n);
        let without = format!("{}{}", &SHIPPED[..start], &SHIPPED[end..]);
        assert_eq!(parse(&without).unwrap().database, DatabaseOptions::default());
        let set = SHIPPED.replace("max_connections = 10", "max_connections = 3");
        assert_eq!(parse(&set).unwrap().database.max_connections, 3);
        let err = parse(&SHIPPED.replace("max_connections = 10", "max_connections = 0")).unwrap_err();
        assert!(err.to_string().contains("database.max_connections"), "{err}");
        let err = parse(&SHIPPED.replace("max_connections = 10", "max_conections = 10")).unwrap_err();
        assert!(err.to_string().contains("max_conections"), "{err}");
    }

    #[test]
    fn the_flood_limits_default_to_ten_in_ten_seconds_and_64_at_once_and_are_checked() {
        assert_eq!(parse(SHIPPED).unwrap().throttling, Throttling::default());
        let defaults = Throttling::default();
        assert_eq!(
            (defaults.rate_limit, defaults.rate_window.as_secs(), defaults.max_in_flight),
            (10, 10, 64)
        );
        let set = SHIPPED
            .replace("rate_limit = 10\n", "rate_limit = 3\n")
            .replace("max_in_flight = 64", "max_in_flight = 8");
        let throttling = parse(&set).unwrap().throttling;
        assert_eq!((throttling.rate_limit, throttling.max_in_flight), (3, 8));
        for key in ["rate_limit = 10\n", "rate_limit_seconds = 10", "max_in_flight = 64"] {
            let zero = SHIPPED.replace(key, &key.replace("64", "0").replace("10", "0"));
            let err = parse(&zero).unwrap_err().to_string();
            assert!(err.contains(&format!("discord.{}", key.split(' ').next().unwrap_or(""))), "{err}");
        }
    }

    #[test]
    fn sqlite_syncs_every_commit_unless_told_otherwise() {
        assert_eq!(parse(SHIPPED).unwrap().database.sqlite_sync, SqliteSync::Full);
        let normal = SHIPPED.replace("sqlite_synchronous = \"full\"", "sqlite_synchronous = \"normal\"");
        assert_eq!(parse(&normal).unwrap().database.sqlite_sync, SqliteSync::Normal);
        let bad = SHIPPED.replace("sqlite_synchronous = \"full\"", "sqlite_synchronous = \"fast\"");
        let err = parse(&bad).unwrap_err().to_string();
        assert!(err.contains("sqlite_synchronous") || err.contains("fast"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        let text =
            SHIPPED.replace("timezone = \"Europe/London\"", "timezone = \"Europe/London\"\ntimezon = 1");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("timezon"), "{err}");
        let text = SHIPPED.replace("quiet_after_weeks = 6", "quiet_after_weeks = 6\nquiet = true");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("quiet"), "{err}");
    }

    #[test]
    fn a_bad_pattern_is_an_error_naming_it() {
        let text = SHIPPED.replace(r"'\bLIB-\d{7}[A-Z]\b'", "'(unclosed'");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("library card") && err.contains("redaction"), "{err}");
    }

    #[test]
    fn the_redaction_built_ins_are_configurable() {
        let names = |text: &str| parse(text).unwrap().rules.redactor.pattern_names().join(",");
        assert_eq!(names(SHIPPED), "email,card,phone,ni number,id,prefixed id,library card");
        let switched = SHIPPED
            .replace("card = true", "card = false")
            .replace("ni_number = true", "ni_number = false")
            .replace("id_prefixes = [\"s\", \"u\"]", "id_prefixes = []")
            .replace("postcode = false", "postcode = true");
        assert_eq!(names(&switched), "email,phone,id,postcode,library card");
        let start = SHIPPED.find("[redaction]").expect("the shipped config has [redaction]");
        let end = SHIPPED.find("[[redaction.extra]]").expect("and an extra pattern");
        let defaults = format!("{}[redaction]\n{}", &SHIPPED[..start], &SHIPPED[end..]);
        assert_eq!(names(&defaults), "email,card,phone,ni number,id,prefixed id,library card");
        let custom =
            parse(&SHIPPED.replace("id_prefixes = [\"s\", \"u\"]", "id_prefixes = [\"B\"]")).unwrap();
        assert_eq!(custom.rules.redactor.redact("b1234567 s1234567").text, "[id] s1234567");
        let err =
            parse(&SHIPPED.replace("id_prefixes = [\"s\", \"u\"]", "id_prefixes = [\"s1\"]")).unwrap_err();
        assert!(err.to_string().contains("id_prefixes"), "{err}");
    }

    #[test]
    fn bad_values_name_their_key() {
        for (from, to, key) in [
            ("timezone = \"Europe/London\"", "timezone = \"Europe/Lundon\"", "timezone"),
            ("weekday = \"monday\"", "weekday = \"moonday\"", "digest.weekday"),
            ("time = \"09:00\"", "time = \"9 o'clock\"", "digest.time"),
            ("default_channel = \"desk\"", "default_channel = \"pub\"", "channels"),
            ("default_guild = \"0\"", "default_guild = \"abc\"", "default_guild"),
        ] {
            let err = parse(&SHIPPED.replace(from, to)).unwrap_err().to_string();
            assert!(err.contains(key), "{key}: {err}");
        }
    }

    #[test]
    fn environment_overrides_win() {
        let config =
            Config::parse(Path::new("t"), SHIPPED, Some("America/New_York".into()), Some("42".into()))
                .unwrap();
        assert_eq!(config.rules.timezone, chrono_tz::America::New_York);
        assert_eq!(config.default_guild, Some(GuildId(42)));
        let err = Config::parse(Path::new("t"), SHIPPED, Some("Mars/Base".into()), None).unwrap_err();
        assert!(err.to_string().contains("LIAISON_TIMEZONE"));
    }

    /// The shipped config without its `[academic]` section.
    fn without_academic() -> String {
        let start = SHIPPED.find("[academic]").expect("the shipped config documents [academic]");
        let end = SHIPPED.find("[redaction]").expect("[redaction] follows it");
        format!("{}{}", &SHIPPED[..start], &SHIPPED[end..])
    }

    #[test]
    fn the_academic_calendar_defaults_to_the_uk_terms_and_the_shipped_one_spells_them_out() {
        assert_eq!(parse(SHIPPED).unwrap().rules.academic, AcademicCalendar::default());
        assert_eq!(parse(&without_academic()).unwrap().rules.academic, AcademicCalendar::default());
        let set = without_academic().replace(
            "[redaction]\n",
            "[academic]\nyear_start = \"08-01\"\nsemesters = []\n\n[[academic.terms]]\nname = \"Michaelmas\"\n\
             start = \"10-05\"\nend = \"12-04\"\n\n[redaction]\n",
        );
        let academic = parse(&set).unwrap().rules.academic;
        assert_eq!(academic.year_start().to_string(), "08-01");
        let terms: Vec<&str> = academic.sessions(SessionKind::Term).iter().map(|t| t.name.as_str()).collect();
        assert_eq!(terms, ["Michaelmas"]);
        assert!(academic.sessions(SessionKind::Semester).is_empty());
    }

    #[test]
    fn a_bad_academic_calendar_names_its_key() {
        for (from, to, key, said) in [
            ("year_start = \"09-01\"", "year_start = \"31-09\"", "academic.year_start", "MM-DD"),
            ("start = \"01-01\"", "start = \"01-32\"", "academic.terms", "\"Spring term\": `start`"),
            ("end = \"01-31\"", "end = \"02-29\"", "academic.semesters", "29 February"),
            ("end = \"12-31\"", "end = \"01-15\"", "academic.terms", "overlap"),
            ("name = \"Semester 2\"", "name = \" \"", "academic.semesters", "empty name"),
            ("end = \"08-31\"\n\n# Semesters", "end = \"09-01\"\n\n# Semesters", "academic.terms", "across"),
            ("year_start = \"09-01\"", "year_start = \"09-01\"\nterm = []", "term", "unknown field"),
        ] {
            assert!(SHIPPED.contains(from), "{from}");
            let err = parse(&SHIPPED.replacen(from, to, 1)).unwrap_err().to_string();
            assert!(err.contains(key) && err.contains(said), "{key}: {err}");
        }
    }

    #[test]
    fn an_alias_shared_by_two_departments_is_refused() {
        let text = SHIPPED.replace("aliases = [\"chem\"]", "aliases = [\"chem\", \"phil\"]");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("departments") && err.contains("phil"), "{err}");
    }
}
