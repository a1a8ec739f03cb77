//! What every handler may use: the store, the validated config, and the way out to Discord for
//! messages that are not a reply (`/digest post-now`).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::service::poster::Poster;
use crate::store::Store;

#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub poster: Arc<dyn Poster>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, config: Arc<Config>, poster: Arc<dyn Poster>) -> Self {
        App { store, config, poster }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
