//! Which gateway shards a process runs. One process runs them all by default; several processes
//! sharing one PostgreSQL database each run a range (`--shards 0-3 --total-shards 8`), and
//! Discord sends each guild's events to the shard `(guild_id >> 22) % total`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    /// Inclusive.
    pub last: u32,
    pub total: u32,
}

impl ShardRange {
    /// `0-3` or `5`, out of `total`.
    pub fn parse(range: &str, total: u32) -> Result<ShardRange, String> {
        let bad = || format!("\"{range}\" is not a shard range; write it as 0-3 (or a single shard, 5)");
        let (first, last) = match range.trim().split_once('-') {
            Some((a, b)) => (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?),
            None => {
                let one = range.trim().parse().map_err(|_| bad())?;
                (one, one)
            }
        };
        if total == 0 {
            return Err("--total-shards must be at least 1".into());
        }
        if first > last {
            return Err(format!("the shard range {first}-{last} runs backwards"));
        }
        if last >= total {
            return Err(format!(
                "shard {last} does not exist with --total-shards {total} (shards are 0 to {})",
                total - 1
            ));
        }
        Ok(ShardRange { first, last, total })
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{} of {}", self.first, self.last, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_single_shards_parse() {
        assert_eq!(ShardRange::parse("0-3", 8), Ok(ShardRange { first: 0, last: 3, total: 8 }));
        assert_eq!(ShardRange::parse(" 4 - 7 ", 8), Ok(ShardRange { first: 4, last: 7, total: 8 }));
        assert_eq!(ShardRange::parse("5", 8), Ok(ShardRange { first: 5, last: 5, total: 8 }));
    }

    #[test]
    fn impossible_ranges_are_refused_with_a_reason() {
        assert!(ShardRange::parse("4-8", 8).unwrap_err().contains("shards are 0 to 7"));
        assert!(ShardRange::parse("3-1", 8).unwrap_err().contains("backwards"));
        assert!(ShardRange::parse("0", 0).unwrap_err().contains("at least 1"));
        for bad in ["", "a-b", "1-", "-1", "1-2-3"] {
            assert!(ShardRange::parse(bad, 8).unwrap_err().contains("not a shard range"), "{bad}");
        }
    }
}
