//! The simulator's state: one store per store hash, each behind its own lock.
//!
//! Tests that share a simulator use different store hashes and so never see each other's
//! carts, quotas, faults or clock. A store comes into being with the first request naming its
//! hash, set up from the simulator's defaults (catalog, tokens, quota). Everything a store holds
//! except its journal, its quota count and its dice can be exported as JSON and imported again
//! (a snapshot), to start a test from a known state.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::TokenGrant;
use crate::cart::Cart;
use crate::catalog::Catalog;
use crate::clock::BaseClock;
use crate::faults::{FaultPlan, dice};
use crate::journal::Journal;
use crate::metafields::Metafield;
use crate::rate_limit::{RateLimitConfig, Window};
use crate::redirects::RedirectKey;
use crate::settings::Settings;

/// The version written into snapshots.
const SNAPSHOT_FORMAT: u32 = 1;

/// Per-store facts that are not API resources: channels, currency, banners, where redirect
/// URLs point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreProfile {
    /// Channels that exist (settings of other channels are refused).
    pub channels: Vec<i64>,
    /// Currency of carts created without one.
    pub currency: String,
    /// Locale of carts created without one (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Promotion banners returned with `include=promotions.banners`.
    #[serde(default)]
    pub banners: Vec<Value>,
    /// Base of minted redirect URLs; absent means the simulator's own address (or the one
    /// configured when it started).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_base_url: Option<String>,
}

impl Default for StoreProfile {
    /// Channels 1 to 5, US dollars, locale `en`, no banners.
    fn default() -> Self {
        Self {
            channels: (1..=5).collect(),
            currency: "USD".into(),
            locale: Some("en".into()),
            banners: Vec::new(),
            public_base_url: None,
        }
    }
}

/// Why an admin request was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminError {
    /// The store hash is not alphanumeric (as BigCommerce's are).
    InvalidStoreHash,
    /// The request does not make sense; says why.
    Invalid(String),
    /// What it names does not exist.
    NotFound(String),
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminError::InvalidStoreHash => f.write_str("a store hash is letters and digits only"),
            AdminError::Invalid(why) => write!(f, "invalid: {why}"),
            AdminError::NotFound(what) => write!(f, "not found: {what}"),
        }
    }
}

impl std::error::Error for AdminError {}

/// Whether `hash` can be a store hash.
pub(crate) fn valid_store_hash(hash: &str) -> bool {
    !hash.is_empty() && hash.len() <= 64 && hash.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What a store holds that a snapshot carries.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoreData {
    pub profile: StoreProfile,
    pub catalog: Catalog,
    pub tokens: Vec<TokenGrant>,
    pub rate_limit: RateLimitConfig,
    #[serde(default)]
    pub faults: FaultPlan,
    #[serde(default)]
    pub clock_offset_ms: i64,
    #[serde(default)]
    pub carts: BTreeMap<Uuid, Cart>,
    #[serde(default)]
    pub metafields: BTreeMap<u64, Metafield>,
    #[serde(default = "first_metafield_id")]
    pub next_metafield_id: u64,
    pub cart_settings: Settings,
    pub abandoned_cart_settings: Settings,
    /// Abandoned-cart email tokens, to the carts they stand for.
    #[serde(default)]
    pub abandoned_carts: BTreeMap<Uuid, Uuid>,
    pub redirect_key: RedirectKey,
    /// Redirect tokens already followed, with the time they were issued.
    #[serde(default)]
    pub used_redirects: HashMap<String, i64>,
}

fn first_metafield_id() -> u64 {
    1
}

/// A store: its data, plus what lives only while the simulator runs.
#[derive(Debug)]
pub(crate) struct Store {
    pub data: StoreData,
    pub window: Window,
    pub dice: fastrand::Rng,
    pub journal: Journal,
}

impl Store {
    fn new(data: StoreData, journal_capacity: usize) -> Self {
        let dice = dice(&data.faults);
        Self {
            data,
            window: Window::default(),
            dice,
            journal: Journal::new(journal_capacity),
        }
    }

    /// Looks a cart up, forgetting it if its 30 days are over.
    pub fn live_cart(&mut self, id: Uuid, now: DateTime<Utc>) -> Option<&mut Cart> {
        if self.data.carts.get(&id).is_some_and(|cart| cart.expired(now)) {
            self.data.carts.remove(&id);
        }
        self.data.carts.get_mut(&id)
    }

    /// Replaces the fault plan and reseeds the dice.
    pub fn set_faults(&mut self, plan: FaultPlan) {
        self.dice = dice(&plan);
        self.data.faults = plan;
    }
}

/// A store and its lock.
#[derive(Debug)]
pub(crate) struct StoreCell {
    pub hash: String,
    state: Mutex<Store>,
}

impl StoreCell {
    /// Locks the store. A poisoned lock is taken over: handlers do not panic, and a store
    /// half-changed by one that did is still better than a simulator that stops answering.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Defaults for new stores, and the clock.
#[derive(Clone, Debug)]
pub(crate) struct Defaults {
    pub clock: BaseClock,
    pub own_base_url: String,
    pub public_base_url: Option<String>,
    pub tokens: Vec<TokenGrant>,
    pub rate_limit: RateLimitConfig,
    pub catalog: Catalog,
    pub profile: StoreProfile,
    pub journal_capacity: usize,
}

/// Every store of the simulator.
#[derive(Debug)]
pub(crate) struct World {
    pub defaults: Defaults,
    stores: RwLock<HashMap<String, Arc<StoreCell>>>,
}

/// The JSON form of a snapshot.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    format: u32,
    stores: BTreeMap<String, StoreData>,
}

impl World {
    pub fn new(defaults: Defaults) -> Self {
        Self {
            defaults,
            stores: RwLock::new(HashMap::new()),
        }
    }

    fn fresh_data(&self) -> StoreData {
        StoreData {
            profile: self.defaults.profile.clone(),
            catalog: self.defaults.catalog.clone(),
            tokens: self.defaults.tokens.clone(),
            rate_limit: self.defaults.rate_limit,
            faults: FaultPlan::default(),
            clock_offset_ms: 0,
            carts: BTreeMap::new(),
            metafields: BTreeMap::new(),
            next_metafield_id: first_metafield_id(),
            cart_settings: Settings::cart_defaults(),
            abandoned_cart_settings: Settings::abandoned_cart_defaults(),
            abandoned_carts: BTreeMap::new(),
            redirect_key: RedirectKey::random(),
            used_redirects: HashMap::new(),
        }
    }

    /// The store `hash`, created from the defaults on first use.
    pub fn store(&self, hash: &str) -> Arc<StoreCell> {
        if let Some(cell) = self.read_stores().get(hash) {
            return cell.clone();
        }
        let mut stores = self.stores.write().unwrap_or_else(|p| p.into_inner());
        stores
            .entry(hash.to_string())
            .or_insert_with(|| {
                Arc::new(StoreCell {
                    hash: hash.to_string(),
                    state: Mutex::new(Store::new(self.fresh_data(), self.defaults.journal_capacity)),
                })
            })
            .clone()
    }

    fn read_stores(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<StoreCell>>> {
        self.stores.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The store holding cart `id`, if any (cart ids are UUIDs, unique across stores).
    pub fn store_with_cart(&self, id: Uuid) -> Option<Arc<StoreCell>> {
        let cells: Vec<Arc<StoreCell>> = self.read_stores().values().cloned().collect();
        cells.into_iter().find(|cell| cell.lock().data.carts.contains_key(&id))
    }

    /// The time of a store.
    pub fn now(&self, store: &Store) -> DateTime<Utc> {
        self.defaults.clock.now_with_offset(store.data.clock_offset_ms)
    }

    /// Where a store's redirect URLs point.
    pub fn public_base(&self, store: &Store) -> String {
        store
            .data
            .profile
            .public_base_url
            .clone()
            .or_else(|| self.defaults.public_base_url.clone())
            .unwrap_or_else(|| self.defaults.own_base_url.clone())
    }

    /// Forgets every store.
    pub fn reset_all(&self) {
        self.stores.write().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Puts one store back to the defaults (its journal is emptied too).
    pub fn reset_store(&self, hash: &str) {
        let cell = self.store(hash);
        let mut store = cell.lock();
        *store = Store::new(self.fresh_data(), self.defaults.journal_capacity);
    }

    /// Every store's data as JSON.
    pub fn snapshot(&self) -> Value {
        let cells: Vec<Arc<StoreCell>> = self.read_stores().values().cloned().collect();
        let stores = cells
            .iter()
            .map(|cell| (cell.hash.clone(), cell.lock().data.clone()))
            .collect();
        serde_json::to_value(Snapshot {
            format: SNAPSHOT_FORMAT,
            stores,
        })
        .unwrap_or(Value::Null)
    }

    /// Replaces every store with those of `snapshot`.
    pub fn import(&self, snapshot: Value) -> Result<(), AdminError> {
        let snapshot: Snapshot =
            serde_json::from_value(snapshot).map_err(|e| AdminError::Invalid(format!("not a snapshot: {e}")))?;
        if snapshot.format != SNAPSHOT_FORMAT {
            return Err(AdminError::Invalid(format!(
                "snapshot format {} is not {SNAPSHOT_FORMAT}",
                snapshot.format
            )));
        }
        if let Some(hash) = snapshot.stores.keys().find(|hash| !valid_store_hash(hash)) {
            return Err(AdminError::Invalid(format!("{hash:?} is not a store hash")));
        }
        let stores = snapshot
            .stores
            .into_iter()
            .map(|(hash, data)| {
                let cell = Arc::new(StoreCell {
                    hash: hash.clone(),
                    state: Mutex::new(Store::new(data, self.defaults.journal_capacity)),
                });
                (hash, cell)
            })
            .collect();
        *self.stores.write().unwrap_or_else(|p| p.into_inner()) = stores;
        Ok(())
    }
}
