//! Use cases: capture, search, follow-ups, statistics, export and import. No serenity, no SQL.
