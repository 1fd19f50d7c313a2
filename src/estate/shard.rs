//! `--shard I/N`: which of the configured accounts one process scans, when an orchestrator runs
//! N processes for one night (a Kubernetes Indexed Job: I is `JOB_COMPLETION_INDEX`).
//!
//! An account belongs to shard `fnv1a64(account id) mod N`. The assignment depends on nothing
//! but the account id and N: every shard computes it alone, from its own copy of the account
//! list, and an account does not move to another shard when accounts join or leave the
//! organisation between two processes' `ListAccounts` calls (a sorted-index split would shift
//! every account after the new one). The price is balance: shards hold about, not exactly,
//! the same number of accounts (docs/scale.md).

use std::fmt;
use std::str::FromStr;

/// One shard of N, zero-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// The whole estate in one process.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Does this shard scan `account_id`?
    pub fn owns(&self, account_id: &str) -> bool {
        shard_of(account_id, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || format!("{s:?}: expected I/N, the zero-based shard index and the number of shards (0/4 .. 3/4)");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u32 = i.trim().parse().map_err(|_| usage())?;
        let count: u32 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || count > 10_000 {
            return Err(format!("{s:?}: the number of shards must be from 1 to 10000"));
        }
        if index >= count {
            return Err(format!("{s:?}: the index must be below the number of shards (0 to {})", count - 1));
        }
        Ok(Shard { index, count })
    }
}

/// The shard (0..count) an account belongs to.
pub fn shard_of(account_id: &str, count: u32) -> u32 {
    (fnv1a64(account_id.as_bytes()) % u64::from(count.max(1))) as u32
}

/// FNV-1a, 64-bit: fixed by its definition, the same on every platform and version.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_i_of_n() {
        assert_eq!("2/5".parse::<Shard>(), Ok(Shard { index: 2, count: 5 }));
        assert_eq!("0/1".parse::<Shard>(), Ok(Shard::ALL));
        for bad in ["5/5", "1", "a/2", "0/0", "-1/2", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(Shard { index: 1, count: 3 }.to_string(), "1/3");
    }

    #[test]
    fn known_assignments_never_change() {
        // Pinned: changing the function moves accounts between shards of running estates.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(shard_of("123456789012", 4), (fnv1a64(b"123456789012") % 4) as u32);
    }

    #[test]
    fn every_account_in_exactly_one_shard_and_roughly_balanced() {
        let accounts: Vec<String> = (0..1000u64).map(|i| format!("{:012}", 100_000_000_000 + i * 7919)).collect();
        for n in [1u32, 2, 3, 7, 10] {
            let mut sizes = vec![0usize; n as usize];
            for a in &accounts {
                let owners: Vec<u32> = (0..n).filter(|i| Shard { index: *i, count: n }.owns(a)).collect();
                assert_eq!(owners.len(), 1, "{a} in shards {owners:?} of {n}");
                sizes[owners[0] as usize] += 1;
            }
            let mean = accounts.len() / n as usize;
            for s in sizes {
                assert!(s.abs_diff(mean) * 5 < mean.max(5), "shard sizes {n}: {s} vs mean {mean}");
            }
        }
    }
}
