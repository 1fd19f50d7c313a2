//! Many accounts in one run: `plumb scan --config estates.toml`.
//!
//! - [`config`]: the estates file (TOML, read by [`toml`]): which states belong to which
//!   account and regions, and how each account is reached; optional Organizations discovery.
//! - [`discover`]: member accounts from AWS Organizations (`ListAccounts`).
//! - [`shard`]: `--shard I/N`, the accounts one process of N scans.
//! - [`reach`]: credentials per account (assumed role, profile, or the scanner's own).
//!
//! The run itself (the accounts scanned concurrently, each with its own contexts and limits,
//! merged into one report; one account's failure makes only that account incomplete) is
//! wiring, in `app::estates`.
//!
//! docs/estates.md documents the file; docs/scale.md the sharding, the ledger's runs and the
//! capacity model.

pub mod config;
pub mod discover;
pub mod reach;
pub mod shard;
pub mod toml;

use std::collections::BTreeMap;

pub use config::{Estates, Reach};
pub use shard::Shard;

/// Where an account of the plan comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An `[[estate]]` of the file (its line).
    File(usize),
    /// `[organizations]` discovery.
    Discovered,
}

/// One account to scan, with everything the scan needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub regions: Vec<String>,
    pub states: Vec<String>,
    pub reach: Reach,
    pub limits: BTreeMap<String, usize>,
    pub origin: Origin,
}

impl Account {
    /// `111111111111 (prod)`, or the id alone when it has no other name.
    pub fn label(&self) -> String {
        if self.name == self.id { self.id.clone() } else { format!("{} ({})", self.id, self.name) }
    }
}

/// The file's own estates as accounts.
pub fn named_accounts(file: &Estates) -> Vec<Account> {
    file.estates
        .iter()
        .map(|e| Account {
            id: e.account_id.clone(),
            name: e.name.clone(),
            regions: e.regions.clone(),
            states: e.states.clone(),
            reach: e.reach.clone(),
            limits: e.limits.clone(),
            origin: Origin::File(e.line),
        })
        .collect()
}

/// The accounts this process scans: `accounts` sorted by id, those of `shard` only.
pub fn plan(mut accounts: Vec<Account>, shard: Shard) -> Vec<Account> {
    accounts.retain(|a| shard.owns(&a.id));
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    accounts
}
