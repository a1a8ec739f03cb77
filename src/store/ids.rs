//! Discord ids are u64; SQL integers are i64. The cast is a bijection (two's complement), so ids
//! above i64::MAX are stored as negative numbers and come back unchanged.

use crate::domain::ids::{GuildId, UserId};

pub fn to_sql(id: u64) -> i64 {
    id as i64
}

pub fn from_sql(v: i64) -> u64 {
    v as u64
}

pub fn guild(id: GuildId) -> i64 {
    to_sql(id.0)
}

pub fn user(id: UserId) -> i64 {
    to_sql(id.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cast_round_trips_the_top_bit() {
        for id in [0, 1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
            assert_eq!(from_sql(to_sql(id)), id);
        }
        assert!(to_sql(u64::MAX) < 0);
    }
}
