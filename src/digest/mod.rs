//! The weekly digest: what one guild heard in one period, grouped by department, with follow-ups,
//! departments gone quiet, desk hand-offs, partners, and a chart; it opens with the period's
//! impact stories when there are any.
//!
//! Everything here is pure: [`build`] turns plain data (gathered elsewhere from the store) and a
//! clock into a [`Digest`]; [`render_messages`], [`render_text`] and [`render_chart`] turn that
//! into chat messages within every limit (in the markup of whichever front end posts them),
//! terminal text, and a PNG. Scheduling and posting live elsewhere, so tests here need no
//! database, no Discord and no waiting.

mod across;
mod build;
mod chart;
mod department;
mod model;
mod pack;
mod period;
mod render;
mod schedule;
mod text;

pub use across::{
    AcrossTopic, Before, Held, TopicEntry, TopicKind, Trend, Week, TAG_COMMON, TOPICS_LISTED, WEEKS_BEFORE,
    WORD_COMMON,
};
pub use build::{build, DUE_SOON_DAYS};
pub use chart::{render_bars, render_chart, Bar, ChartError};
pub use department::{NOTES_SHOWN, TOP_TAGS};
pub use model::QUIET_DEPARTMENTS_LISTED;
pub use model::{AcrossEntry, AcrossItem, ACROSS_ENTRIES_LISTED};
pub use model::{
    Change, ChannelCount, DepartmentNames, DepartmentSummary, Digest, DigestInput, Events, FollowUpItem,
    FollowUps, HandOffInput, HandOffs, Headline, HeldEvent, ImpactItem, NoteItem, PartnerCount, PartnerInput,
    Partners, PreviousPeriod, QuietDepartment, QuietDepartments, QuietPartner, QuietPartnerInput, Sharing,
    TagCount, UndecidedEvent, WaitingHandOff, WaitingHandOffInput, DEFAULT_QUIET_AFTER_WEEKS,
};
pub use period::DigestPeriod;
pub use render::{render_messages, CHART_FILE};
pub use schedule::{local_instant, Occurrence, Schedule};
pub use text::render_text;

#[cfg(test)]
mod tests;
