//! `--shard K/N`: the K-th (1-based) of N deterministic partitions of the case list.
//!
//! A case belongs to shard `1 + fnv1a64(case id) mod N`: it depends only on the case's own id, so adding cases never
//! moves existing ones to another shard, and the same command gives the same partition on every host.

/// A shard of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("--shard {s}: expected K/N, e.g. 1/4"))?;
        let index: u64 = k
            .trim()
            .parse()
            .map_err(|_| format!("--shard {s}: K is not a number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("--shard {s}: N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("--shard {s}: K must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the case with this id belongs to this shard.
    pub fn takes(&self, case_id: &str) -> bool {
        1 + fnv1a64(case_id.as_bytes()) % self.count == self.index
    }
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_in_exactly_one_shard_and_adding_cases_moves_none() {
        let ids: Vec<String> = (0..500).map(|i| format!("case-{i:04}")).collect();
        let shards: Vec<Shard> = (1..=4).map(|k| format!("{k}/4").parse().unwrap()).collect();
        let mut sizes = [0usize; 4];
        for id in &ids {
            let owners: Vec<usize> = (0..4).filter(|&s| shards[s].takes(id)).collect();
            assert_eq!(owners.len(), 1, "{id}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 80), "balanced enough: {sizes:?}");
        // A case's shard depends only on its id.
        assert_eq!(shards[2].takes("case-0007"), shards[2].takes("case-0007"));
    }

    #[test]
    fn bad_shard_specs_are_refused() {
        for bad in ["0/4", "5/4", "1/0", "x/2", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
