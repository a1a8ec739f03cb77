//! `liaison check-config`: validate the config and print what it resolved.

use super::CliResult;
use crate::config::{Config, ConfigSource};
use crate::domain::academic::{AcademicCalendar, SessionKind};
use crate::domain::words;

pub fn run(config: &Config) -> CliResult {
    let rules = &config.rules;
    match &config.source {
        ConfigSource::File(path) => println!("config: {} is valid", path.display()),
        ConfigSource::BuiltIn => println!(
            "config: the built-in defaults (no --config, LIAISON_CONFIG or config/liaison.toml here; \
             `liaison config init` writes an editable copy)"
        ),
    }
    println!("timezone: {}", rules.timezone);
    match config.default_guild {
        Some(g) => println!("default guild: {g}"),
        None => println!("default guild: none (pass --guild)"),
    }
    println!(
        "digest: {} at {} ({}), quiet after {}, empty weeks {}, partners quiet after {}",
        config.digest.weekday,
        config.digest.time.format("%H:%M"),
        rules.timezone,
        words::count(config.digest.quiet_after_weeks, "week", "weeks"),
        if config.digest.post_empty_weeks { "posted" } else { "skipped" },
        words::count(config.digest.partner_quiet_weeks, "week", "weeks"),
    );
    let hand_off: Vec<&str> = config.hand_off.channels.iter().map(|c| c.as_str()).collect();
    if hand_off.is_empty() {
        println!("hand-offs: only when asked (hand_off:true)");
    } else {
        println!(
            "hand-offs: captures through {} go to the departments' liaison librarians",
            hand_off.join(", ")
        );
    }
    academic(&rules.academic);
    println!("database (PostgreSQL): at most {} connections", config.database.max_connections);
    println!("redaction patterns (in order): {}", rules.redactor.pattern_names().join(", "));
    println!(
        "channels ({}), default {}:",
        rules.channels.iter().count(),
        rules.channels.default_channel().key()
    );
    for c in rules.channels.iter() {
        let formality = if c.informal() { "informal" } else { "formal" };
        println!("  {:<22} {:<24} {}", c.key().as_str(), c.name(), formality);
    }
    println!("departments ({}):", rules.departments.len());
    for d in rules.departments.iter() {
        let served = if d.served() { "" } else { " · not served" };
        if d.aliases().is_empty() {
            println!("  {}{served}", d.name());
        } else {
            let aliases: Vec<&str> = d.aliases().iter().map(|a| a.as_str()).collect();
            println!("  {} (aliases: {}){served}", d.name(), aliases.join(", "));
        }
    }
    Ok(())
}

fn academic(calendar: &AcademicCalendar) {
    println!("academic year: starts {} (MM-DD)", calendar.year_start());
    for kind in [SessionKind::Term, SessionKind::Semester] {
        let sessions = calendar.sessions(kind);
        if sessions.is_empty() {
            println!("  {}s: none", kind.noun());
        }
        for s in sessions {
            println!("  {:<9} {:<24} {} to {}", kind.noun(), s.name, s.start, s.end);
        }
    }
}
