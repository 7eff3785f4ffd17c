//! Exact percentiles of millions of iterations without keeping them: each reported
//! percentile is bracketed by a window of values; an iteration outside every window is only
//! counted, one inside is kept, and the windows narrow as iterations accumulate, so what is
//! kept grows like the square root of the iterations. A rank that ends outside every window
//! (a chance of about one in a hundred million a window) is found by a second pass.

use super::kernel::Isa;
use super::stats::{PERCENTILES, order_statistics};

/// Windows an output has at most: one a percentile (merged where they meet).
pub const MOST: usize = PERCENTILES.len();

/// How far a window reaches either side of its percentile's rank, in standard errors of that
/// rank's estimate from the iterations so far.
pub const REACH: f64 = 6.0;

#[derive(Debug, Clone, PartialEq)]
struct Window {
    lo: f64,
    hi: f64,
    /// Values so far at or above `lo`, and above `hi`.
    from_lo: u64,
    above_hi: u64,
    /// Every value so far within `[lo, hi]`; none when `lo == hi`, as they all equal `lo`.
    kept: Vec<f64>,
}

/// What one block adds to an output's windows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Additions {
    /// Values at or above each window's `lo`.
    from_lo: [u64; MOST],
    /// For a window on one value (`lo == hi`), values equal to it; 0 for the others, whose
    /// values inside are those kept.
    equal: [u64; MOST],
    /// The block's values within a window that keeps its values, all windows together.
    kept: Vec<f64>,
}

/// One output's windows: sorted and disjoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Windows {
    count: u64,
    windows: Vec<Window>,
    /// Each window's bounds, padded with empty ones for a fixed-size loop.
    bounds: [(f64, f64); MOST],
}

/// The fractions of the ordered values that each percentile's window should span, once `n`
/// values are known.
fn spans(n: u64, with_errors: bool, reach: f64) -> Vec<(f64, f64)> {
    PERCENTILES
        .iter()
        .map(|p| {
            let q = *p as f64 / 100.0;
            let se = (q * (1.0 - q) / n as f64).sqrt();
            // With errors, the ranks one binomial sd either side are wanted too: never more
            // than one standard error of the estimate from fewer values.
            let half = reach * se + if with_errors { se } else { 0.0 } + 1.0 / n as f64;
            ((q - half).max(0.0), (q + half).min(1.0))
        })
        .collect()
}

/// The 0-based ranks among `n` that a span of fractions reaches.
fn ranks_of(n: u64, (from, to): (f64, f64)) -> (u64, u64) {
    let last = n - 1;
    (
        ((from * n as f64).floor() as u64).min(last),
        ((to * n as f64).ceil() as u64).min(last),
    )
}

impl Windows {
    /// Windows around each percentile of `first`, the first values of a run, which are
    /// counted in.
    pub fn around(first: &[f64], with_errors: bool, reach: f64) -> Windows {
        let n = first.len() as u64;
        let mut ranks: Vec<usize> = Vec::new();
        let spans: Vec<(u64, u64)> = spans(n, with_errors, reach)
            .into_iter()
            .map(|span| ranks_of(n, span))
            .collect();
        for (lo, hi) in &spans {
            ranks.extend([*lo as usize, *hi as usize]);
        }
        ranks.sort_unstable();
        ranks.dedup();
        let values = order_statistics(first, &ranks);
        let value = |r: u64| values[ranks.binary_search(&(r as usize)).expect("selected")];
        let bounds = spans
            .iter()
            .map(|(lo, hi)| (value(*lo), value(*hi)))
            .collect();
        let mut windows = Windows::with_bounds(merge(bounds));
        windows.add(&windows.additions(Isa::Portable, first), first.len() as u64);
        windows
    }

    /// One window over every value from `min` to `max`: keeps them all (the second pass).
    pub fn everything(min: f64, max: f64) -> Windows {
        Windows::with_bounds(vec![(min, max)])
    }

    fn with_bounds(bounds: Vec<(f64, f64)>) -> Windows {
        let mut padded = [(f64::INFINITY, f64::INFINITY); MOST];
        padded[..bounds.len()].copy_from_slice(&bounds);
        Windows {
            count: 0,
            windows: bounds
                .into_iter()
                .map(|(lo, hi)| Window {
                    lo,
                    hi,
                    from_lo: 0,
                    above_hi: 0,
                    kept: Vec::new(),
                })
                .collect(),
            bounds: padded,
        }
    }

    /// Counts a block's values against the windows and picks out those inside one.
    pub fn additions(&self, isa: Isa, values: &[f64]) -> Additions {
        let mut additions = Additions::default();
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
            Isa::Avx2 => unsafe { self.count_avx2(values, &mut additions) },
            _ => self.count(values, &mut additions),
        }
        additions
    }

    fn count(&self, values: &[f64], into: &mut Additions) {
        for x in values {
            for (k, window) in self.windows.iter().enumerate() {
                into.from_lo[k] += (*x >= window.lo) as u64;
                if window.lo == window.hi {
                    into.equal[k] += (*x == window.lo) as u64;
                } else if *x >= window.lo && *x <= window.hi {
                    into.kept.push(*x);
                }
            }
        }
    }

    /// [`Windows::count`] four values at a time, when every window keeps its values: one
    /// comparison a window, its mask subtracted into the count (a true mask is -1) and used to
    /// pick the upper bound of the last window starting at or below the value, which the value
    /// is inside if it does not exceed it. The few values inside are picked out by mask bits.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn count_avx2(&self, values: &[f64], into: &mut Additions) {
        use std::arch::x86_64::*;
        if self.windows.iter().any(|w| w.lo == w.hi) {
            return self.count(values, into);
        }
        // Padding windows start at +inf: no value reaches them.
        let lo: [__m256d; MOST] = std::array::from_fn(|k| _mm256_set1_pd(self.bounds[k].0));
        let hi: [__m256d; MOST] = std::array::from_fn(|k| _mm256_set1_pd(self.bounds[k].1));
        let below_all = _mm256_set1_pd(f64::NEG_INFINITY);
        let mut from_lo = [_mm256_setzero_si256(); MOST];
        let fours = values.chunks_exact(4);
        let rest = fours.remainder();
        for four in fours {
            // SAFETY: `four` holds four f64s; the load is unaligned.
            let x = unsafe { _mm256_loadu_pd(four.as_ptr()) };
            let mut upper = below_all;
            for k in 0..MOST {
                let at_least = _mm256_cmp_pd::<_CMP_GE_OQ>(x, lo[k]);
                from_lo[k] = _mm256_sub_epi64(from_lo[k], _mm256_castpd_si256(at_least));
                upper = _mm256_blendv_pd(upper, hi[k], at_least);
            }
            let inside = _mm256_cmp_pd::<_CMP_LE_OQ>(x, upper);
            let mask = _mm256_movemask_pd(inside);
            if mask != 0 {
                for (lane, x) in four.iter().enumerate() {
                    if mask >> lane & 1 == 1 {
                        into.kept.push(*x);
                    }
                }
            }
        }
        for (k, counts) in from_lo.iter().enumerate() {
            let mut lanes = [0u64; 4];
            // SAFETY: `lanes` is 32 bytes; the store is unaligned.
            unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), *counts) };
            into.from_lo[k] += lanes.iter().sum::<u64>();
        }
        self.count(rest, into);
    }

    /// Adds a block's additions (`count` values).
    pub fn add(&mut self, additions: &Additions, count: u64) {
        self.count += count;
        let mut inside = [0u64; MOST];
        for x in &additions.kept {
            // The window holding x is the first whose top is not below it; counted rather
            // than searched, as values arrive in no order and a search's branches would
            // mispredict.
            let k = self.bounds.iter().filter(|(_, hi)| *hi < *x).count();
            self.windows[k].kept.push(*x);
            inside[k] += 1;
        }
        for (k, window) in self.windows.iter_mut().enumerate() {
            window.from_lo += additions.from_lo[k];
            window.above_hi += additions.from_lo[k] - inside[k] - additions.equal[k];
        }
    }

    /// The value at 0-based `rank` among all values so far, if a window holds it.
    pub fn at(&mut self, rank: u64) -> Option<f64> {
        let count = self.count;
        let window = self.windows.iter_mut().find(|w| {
            let below = count - w.from_lo;
            below <= rank && rank < count - w.above_hi
        })?;
        if window.lo == window.hi {
            return Some(window.lo);
        }
        let below = count - window.from_lo;
        let (_, value, _) = window
            .kept
            .select_nth_unstable_by((rank - below) as usize, |a, b| {
                // Kept values are finite (a run with any other stops first), so this order is
                // total but for -0 and +0, which it rightly takes as equal; cheaper than
                // `total_cmp`, and selection is most of what narrowing costs.
                a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal)
            });
        Some(*value)
    }

    /// Narrows the windows to what the values so far say about each percentile; keeps them as
    /// they are if any new window would not lie within one old one.
    pub fn narrow(&mut self, with_errors: bool, reach: f64) {
        let n = self.count;
        let mut bounds = Vec::with_capacity(MOST);
        for span in spans(n, with_errors, reach) {
            let (lo, hi) = ranks_of(n, span);
            let (Some(lo), Some(hi)) = (self.at(lo), self.at(hi)) else {
                return;
            };
            let within = |x: f64| self.windows.iter().position(|w| w.lo <= x && x <= w.hi);
            if within(lo).is_none() || within(lo) != within(hi) {
                return;
            }
            bounds.push((lo, hi));
        }
        let mut narrowed = Windows::with_bounds(merge(bounds));
        narrowed.count = n;
        for new in &mut narrowed.windows {
            let old = self
                .windows
                .iter()
                .find(|w| w.lo <= new.lo && new.hi <= w.hi)
                .expect("each new window lies within an old one");
            // The old window kept every value in its range, so the new counts are exact.
            new.from_lo = old.from_lo - old.kept.iter().filter(|x| **x < new.lo).count() as u64;
            new.above_hi = old.above_hi + old.kept.iter().filter(|x| **x > new.hi).count() as u64;
            if new.lo < new.hi {
                new.kept = old
                    .kept
                    .iter()
                    .copied()
                    .filter(|x| new.lo <= *x && *x <= new.hi)
                    .collect();
            }
        }
        *self = narrowed;
    }

    /// Values kept so far.
    pub fn kept(&self) -> usize {
        self.windows.iter().map(|w| w.kept.len()).sum()
    }
}

/// Sorts bounds and merges those that meet, so that windows are disjoint.
fn merge(mut bounds: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    bounds.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(bounds.len());
    for (lo, hi) in bounds {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scrambled sequence with ties and a long tail.
    fn values(n: usize, salt: usize) -> Vec<f64> {
        (0..n)
            .map(|i| {
                let v = ((i * 7919 + salt * 104_729) % 100_003) as f64;
                if i % 5 == 0 {
                    (v / 100.0).floor()
                } else {
                    v * v / 1e4
                }
            })
            .collect()
    }

    #[test]
    fn windows_give_the_exact_order_statistics_after_narrowing() {
        let first = values(4096, 0);
        let mut windows = Windows::around(&first, true, REACH);
        let mut all = first.clone();
        for block in 1..64 {
            let more = values(4096, block);
            windows.add(&windows.additions(Isa::detect(), &more), more.len() as u64);
            all.extend(&more);
            if block % 16 == 3 {
                let before = windows.kept();
                windows.narrow(true, REACH);
                assert!(windows.kept() <= before);
            }
        }
        let mut sorted = all.clone();
        sorted.sort_by(f64::total_cmp);
        let n = all.len() as u64;
        for rank in super::super::stats::wanted_ranks(n, true) {
            assert_eq!(windows.at(rank), Some(sorted[rank as usize]), "rank {rank}");
        }
        // Far fewer kept than seen.
        assert!(windows.kept() < all.len() / 10, "{}", windows.kept());
        // A rank between windows is not guessed.
        assert_eq!(windows.at(n / 4), None);
    }

    #[test]
    fn every_instruction_set_counts_alike() {
        let all = values(10_003, 5);
        let mut windows = Windows::around(&all[..4096], true, REACH);
        // A window on a single value (which keeps nothing) beside four others.
        let bounds: Vec<(f64, f64)> = windows
            .windows
            .iter()
            .take(MOST - 1)
            .map(|w| (w.lo, w.hi))
            .chain([(all[17], all[17])])
            .collect();
        windows = Windows::with_bounds(merge(bounds));
        let portable = windows.additions(Isa::Portable, &all);
        assert_eq!(windows.additions(Isa::detect(), &all), portable);
        assert!(!portable.kept.is_empty());
    }

    #[test]
    fn tied_values_need_no_keeping() {
        let first = vec![3.0; 4096];
        let mut windows = Windows::around(&first, false, REACH);
        windows.add(&windows.additions(Isa::Portable, &first), 4096);
        windows.narrow(false, REACH);
        assert_eq!(windows.kept(), 0);
        assert_eq!(windows.at(0), Some(3.0));
        assert_eq!(windows.at(8191), Some(3.0));
    }

    #[test]
    fn a_window_over_everything_holds_every_rank() {
        let all = values(10_000, 3);
        let (min, max) = all
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(*x), hi.max(*x))
            });
        let mut windows = Windows::everything(min, max);
        windows.add(&windows.additions(Isa::Portable, &all), all.len() as u64);
        let mut sorted = all.clone();
        sorted.sort_by(f64::total_cmp);
        for rank in [0, 1, 5000, 9999] {
            assert_eq!(windows.at(rank), Some(sorted[rank as usize]));
        }
    }
}
