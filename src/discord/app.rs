//! What every handler may use: the store, the validated config, the way out to Discord for
//! messages that are not a reply (`/digest post-now`), and the clock a request reads `now` from.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serenity::http::Http;

use crate::config::Config;
use crate::service::clock::{Clock, SystemClock};
use crate::service::poster::Poster;
use crate::store::Store;

#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub poster: Arc<dyn Poster>,
    clock: Arc<dyn Clock>,
    /// Discord's REST API, for what a command must ask Discord (who can see a channel); `None`
    /// where no Discord is connected (handler tests).
    discord: Option<Arc<Http>>,
}

impl App {
    /// An App on the system clock.
    pub fn new(store: Arc<dyn Store>, config: Arc<Config>, poster: Arc<dyn Poster>) -> Self {
        App { store, config, poster, clock: Arc::new(SystemClock), discord: None }
    }

    /// The same App asking Discord through `http`.
    pub fn with_discord(self, http: Arc<Http>) -> Self {
        App { discord: Some(http), ..self }
    }

    pub fn discord(&self) -> Option<&Http> {
        self.discord.as_deref()
    }

    /// The same App reading the time from `clock` (tests pin it).
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        App { clock, ..self }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
