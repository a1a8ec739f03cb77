//! What every handler may use: the store and the validated config.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::store::Store;

#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, config: Arc<Config>) -> Self {
        App { store, config }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
