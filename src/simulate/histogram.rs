//! The histogram of cumulative net benefit, counted block by block as the Monte Carlo runs:
//! bins of one width anchored on the first block's range, extended wherever later iterations
//! fall outside it, so no iteration has to be kept to draw it.

use super::stats::Bin;
use std::collections::BTreeMap;

/// Bins across the first block's range (a run of one block shows exactly these).
pub const BINS: usize = 20;
/// The most bins shown: wider runs merge neighbouring bins, which keeps every count exact.
pub const MOST_BINS: i64 = 40;

/// Where the bins lie: bin i is [origin + i width, origin + (i + 1) width).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    origin: f64,
    width: f64,
    /// The first block's greatest value, counted in the last of its bins.
    top: f64,
}

impl Anchor {
    /// [`BINS`] equal bins from the least to the greatest of `first` (finite) values.
    pub fn over(first: &[f64]) -> Anchor {
        let (lo, hi) = first
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(*x), hi.max(*x))
            });
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 0.0) };
        let width = if hi > lo {
            (hi - lo) / BINS as f64
        } else {
            // Every first value alike: a pound a bin, or a thousandth of the value.
            (lo.abs() / 1000.0).max(1.0)
        };
        Anchor {
            origin: lo,
            width,
            top: hi,
        }
    }

    fn index(&self, x: f64) -> i64 {
        let i = ((x - self.origin) / self.width).floor() as i64;
        if i == BINS as i64 && x <= self.top {
            i - 1
        } else {
            i
        }
    }
}

/// Counts per bin, for a block or for the run so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    within: [u64; BINS],
    /// Bins outside the first block's range.
    beyond: BTreeMap<i64, u64>,
}

impl Counts {
    pub fn count(&mut self, anchor: &Anchor, values: &[f64]) {
        for x in values {
            let i = anchor.index(*x);
            match usize::try_from(i) {
                Ok(i) if i < BINS => self.within[i] += 1,
                _ => *self.beyond.entry(i).or_default() += 1,
            }
        }
    }

    pub fn add(&mut self, other: &Counts) {
        for (mine, theirs) in self.within.iter_mut().zip(&other.within) {
            *mine += theirs;
        }
        for (i, count) in &other.beyond {
            *self.beyond.entry(*i).or_default() += count;
        }
    }

    /// The bins from the lowest to the highest holding an iteration (empty ones between
    /// included), merged `k` to a bin when there would be more than [`MOST_BINS`]. Values
    /// all alike (`min == max`) make one bin from the value to itself.
    pub fn bins(&self, anchor: &Anchor, min: f64, max: f64) -> Vec<Bin> {
        let all = (0..BINS as i64)
            .zip(self.within)
            .chain(self.beyond.iter().map(|(i, c)| (*i, *c)))
            .filter(|(_, c)| *c > 0);
        let mut merged: BTreeMap<i64, u64> = BTreeMap::new();
        let (lowest, highest) = all.clone().fold((i64::MAX, i64::MIN), |(lo, hi), (i, _)| {
            (lo.min(i), hi.max(i))
        });
        if lowest > highest {
            return Vec::new();
        }
        if min == max {
            let count = all.map(|(_, c)| c).sum();
            return vec![Bin {
                from: min,
                to: max,
                count,
            }];
        }
        let span = (highest as i128 - lowest as i128 + 1) as u128;
        let k = span.div_ceil(MOST_BINS as u128).min(i64::MAX as u128) as i64;
        for (i, count) in all {
            *merged.entry(i.div_euclid(k)).or_default() += count;
        }
        let (first, last) = (lowest.div_euclid(k), highest.div_euclid(k));
        let width = anchor.width * k as f64;
        (first..=last)
            .map(|g| Bin {
                from: anchor.origin + width * g as f64,
                to: anchor.origin + width * (g + 1) as f64,
                count: merged.get(&g).copied().unwrap_or(0),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(anchor: &Anchor, values: &[f64]) -> Vec<u64> {
        let mut counts = Counts::default();
        counts.count(anchor, values);
        let (min, max) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(*x), hi.max(*x))
            });
        counts
            .bins(anchor, min, max)
            .iter()
            .map(|b| b.count)
            .collect()
    }

    #[test]
    fn the_first_block_fills_twenty_bins_with_its_maximum_in_the_last() {
        let values: Vec<f64> = (0..=20).map(f64::from).collect();
        let anchor = Anchor::over(&values);
        let mut expected = vec![1; 20];
        expected[19] = 2;
        assert_eq!(counts(&anchor, &values), expected);
    }

    #[test]
    fn later_values_add_bins_of_the_same_width_and_wide_runs_merge() {
        let anchor = Anchor::over(&[0.0, 20.0]);
        // One bin below, one gap, one bin above: 23 bins, empty ones included.
        let got = counts(&anchor, &[-0.5, 0.0, 20.0, 21.5]);
        assert_eq!(got.len(), 23);
        assert_eq!(got.iter().sum::<u64>(), 4);
        assert_eq!((got[0], got[1], got[20], got[22]), (1, 1, 1, 1));
        // A value 1,000 bins away: merged to at most MOST_BINS, nothing lost.
        let got = counts(&anchor, &[0.0, 20.0, 1000.0]);
        assert!(got.len() as i64 <= MOST_BINS + 1, "{}", got.len());
        assert_eq!(got.iter().sum::<u64>(), 3);
    }

    #[test]
    fn values_all_alike_make_one_bin() {
        let anchor = Anchor::over(&[5.0; 10]);
        let mut counts = Counts::default();
        counts.count(&anchor, &[5.0; 10]);
        let bins = counts.bins(&anchor, 5.0, 5.0);
        assert_eq!(
            bins,
            vec![Bin {
                from: 5.0,
                to: 5.0,
                count: 10
            }]
        );
    }
}
