//! Summary statistics of a column of Monte Carlo outputs: moments, percentiles with their
//! Monte Carlo standard errors, probabilities and histograms. Pure numerics, in a fixed order.

use serde::Serialize;

/// Percentiles reported for every output.
pub const PERCENTILES: [u32; 5] = [5, 10, 50, 90, 95];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Percentile {
    /// The percentile, e.g. 90 for P90.
    pub p: u32,
    /// The nearest-rank value: the ceil(p n / 100)-th smallest.
    pub value: f64,
    /// Its Monte Carlo standard error, for the horizon figures: half the distance between the
    /// order statistics one binomial standard deviation (sqrt(n p (1 - p))) either side of
    /// its rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub se: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub mean: f64,
    /// Sample standard deviation (n - 1).
    pub sd: f64,
    /// Standard error of the mean, sd / sqrt(n) (conservative under Latin hypercube).
    pub se_mean: f64,
    pub min: f64,
    pub max: f64,
    pub percentiles: Vec<Percentile>,
}

/// Mean by summation in eight interleaved accumulators, combined in a fixed order: the same
/// bits on every machine and thread count, with error growing like n/8 rather than n.
pub fn mean(values: &[f64]) -> f64 {
    sum_min_max(values).0 / values.len() as f64
}

/// Sum (in eight interleaved accumulators, the value at position i into accumulator i % 8,
/// combined pairwise), minimum and maximum, in one pass that the compiler vectorises.
fn sum_min_max(values: &[f64]) -> (f64, f64, f64) {
    let mut sums = [0.0f64; 8];
    let mut lows = [f64::INFINITY; 8];
    let mut highs = [f64::NEG_INFINITY; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for i in 0..8 {
            sums[i] += chunk[i];
            lows[i] = lows[i].min(chunk[i]);
            highs[i] = highs[i].max(chunk[i]);
        }
    }
    for (i, x) in rest.iter().enumerate() {
        sums[i] += x;
        lows[i] = lows[i].min(*x);
        highs[i] = highs[i].max(*x);
    }
    (
        combine(sums),
        lows.into_iter().fold(f64::INFINITY, f64::min),
        highs.into_iter().fold(f64::NEG_INFINITY, f64::max),
    )
}

/// Sum of squared deviations from `centre`, in the same order as [`sum_min_max`].
fn squares_about(values: &[f64], centre: f64) -> f64 {
    let mut sums = [0.0f64; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for i in 0..8 {
            let d = chunk[i] - centre;
            sums[i] += d * d;
        }
    }
    for (i, x) in rest.iter().enumerate() {
        sums[i] += (x - centre) * (x - centre);
    }
    combine(sums)
}

fn combine(lanes: [f64; 8]) -> f64 {
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
        + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
}

/// Moments and percentiles of `values`; with `with_errors`, percentile standard errors too.
pub fn summarize(values: &[f64], with_errors: bool) -> Summary {
    let n = values.len();
    if n == 0 {
        return Summary {
            mean: f64::NAN,
            sd: f64::NAN,
            se_mean: f64::NAN,
            min: f64::NAN,
            max: f64::NAN,
            percentiles: Vec::new(),
        };
    }
    let (sum, min, max) = sum_min_max(values);
    let m = sum / n as f64;
    let squares = squares_about(values, m);
    let sd = if n > 1 {
        (squares / (n - 1) as f64).sqrt()
    } else {
        0.0
    };

    // Every rank needed, in order; found by successive selection on a shrinking slice.
    let mut wanted: Vec<usize> = Vec::new();
    let ranks: Vec<(usize, usize, usize)> = PERCENTILES
        .iter()
        .map(|p| {
            let q = *p as f64 / 100.0;
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
            let spread = if with_errors {
                (n as f64 * q * (1.0 - q)).sqrt().ceil() as usize
            } else {
                0
            };
            (
                rank.saturating_sub(spread),
                rank,
                (rank + spread).min(n - 1),
            )
        })
        .collect();
    for (lo, mid, hi) in &ranks {
        wanted.extend([*lo, *mid, *hi]);
    }
    wanted.sort_unstable();
    wanted.dedup();
    let order = order_statistics_within(values, &wanted, min, max);
    let at = |rank: usize| order[wanted.binary_search(&rank).expect("rank was selected")];
    let percentiles = PERCENTILES
        .iter()
        .zip(&ranks)
        .map(|(p, (lo, mid, hi))| Percentile {
            p: *p,
            value: at(*mid),
            se: with_errors.then(|| (at(*hi) - at(*lo)) / 2.0),
        })
        .collect();
    Summary {
        mean: m,
        sd,
        se_mean: sd / (n as f64).sqrt(),
        min,
        max,
        percentiles,
    }
}

/// The values at the given sorted 0-based ranks, as if `values` were sorted. Selects the
/// middle wanted rank, then recurses into each side with the ranks that fall there, so k ranks
/// cost O(n log k) rather than a sort.
pub fn order_statistics(values: &[f64], ranks: &[usize]) -> Vec<f64> {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(*x), hi.max(*x))
        });
    order_statistics_within(values, ranks, min, max)
}

/// [`order_statistics`] when the column's minimum and maximum are already known.
fn order_statistics_within(values: &[f64], ranks: &[usize], min: f64, max: f64) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite())
        || values.len() < 4 * BUCKETS
        || min == max
        || ranks.len() >= u8::MAX as usize
        || values.len() > u32::MAX as usize
    {
        return select_all(values, ranks);
    }
    // Bucket selection: one pass counts values into equal-width buckets (the bucket index is
    // monotone in the value, so buckets are ordered), a second gathers only the buckets that
    // hold a wanted rank, and selection runs inside those few. Exact, and about two passes.
    let scale = BUCKETS as f64 / (max - min);
    // Every value maps into [0, BUCKETS] (the maximum onto BUCKETS itself, folded down).
    let bucket = |x: f64| (((x - min) * scale) as u32 as usize).min(BUCKETS - 1);
    let mut counts = vec![0u32; BUCKETS];
    for x in values {
        counts[bucket(*x)] += 1;
    }
    let mut starts = vec![0usize; BUCKETS];
    let mut running = 0;
    for (b, count) in counts.iter().enumerate() {
        starts[b] = running;
        running += *count as usize;
    }
    let holding: Vec<usize> = ranks
        .iter()
        .map(|r| starts.partition_point(|s| s <= r) - 1)
        .collect();
    let mut wanted: Vec<usize> = holding.clone();
    wanted.dedup();
    // At most one wanted bucket per rank, so a byte names its gathering vector.
    const NONE: u8 = u8::MAX;
    let mut slot = vec![NONE; BUCKETS];
    for (i, b) in wanted.iter().enumerate() {
        slot[*b] = i as u8;
    }
    let mut gathered: Vec<Vec<f64>> = wanted
        .iter()
        .map(|b| Vec::with_capacity(counts[*b] as usize))
        .collect();
    for x in values {
        let s = slot[bucket(*x)];
        if s != NONE {
            gathered[s as usize].push(*x);
        }
    }
    ranks
        .iter()
        .zip(&holding)
        .map(|(rank, b)| {
            let inside = &mut gathered[slot[*b] as usize];
            let (_, value, _) = inside.select_nth_unstable_by(rank - starts[*b], f64::total_cmp);
            *value
        })
        .collect()
}

/// Buckets for [`order_statistics`].
const BUCKETS: usize = 4096;

/// Selection over the whole column (small columns, or ones with non-finite values).
fn select_all(values: &[f64], ranks: &[usize]) -> Vec<f64> {
    // Selection runs on order-preserving integer keys: one transform each way instead of one
    // per comparison.
    let mut work: Vec<u64> = values.iter().map(|x| sortable(*x)).collect();
    let mut out = vec![0u64; ranks.len()];
    select_many(&mut work, 0, ranks, &mut out);
    out.into_iter().map(unsortable).collect()
}

/// Maps an f64 to a u64 whose order is `f64::total_cmp`'s.
fn sortable(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

fn unsortable(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

fn select_many(work: &mut [u64], offset: usize, ranks: &[usize], out: &mut [u64]) {
    if ranks.is_empty() {
        return;
    }
    let middle = ranks.len() / 2;
    let (left, value, right) = work.select_nth_unstable(ranks[middle] - offset);
    out[middle] = *value;
    let split = ranks[middle] + 1;
    let (out_left, out_rest) = out.split_at_mut(middle);
    select_many(left, offset, &ranks[..middle], out_left);
    select_many(right, split, &ranks[middle + 1..], &mut out_rest[1..]);
}

/// Share of values at or above `threshold`, with its binomial standard error.
pub fn probability_at_least(values: &[f64], threshold: f64) -> (f64, f64) {
    let n = values.len() as f64;
    let p = values.iter().filter(|x| **x >= threshold).count() as f64 / n;
    (p, (p * (1.0 - p) / n).sqrt())
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bin {
    /// Lower edge (inclusive).
    pub from: f64,
    /// Upper edge (exclusive, but the last bin includes the maximum).
    pub to: f64,
    pub count: u64,
}

/// Equal-width histogram between the minimum and maximum.
pub fn histogram(values: &[f64], bins: usize) -> Vec<Bin> {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(*x), hi.max(*x))
        });
    if values.is_empty() {
        return Vec::new();
    }
    if max <= min {
        return vec![Bin {
            from: min,
            to: max,
            count: values.len() as u64,
        }];
    }
    let width = (max - min) / bins as f64;
    let mut counts = vec![0u64; bins];
    for x in values {
        let index = (((x - min) / width) as usize).min(bins - 1);
        counts[index] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bin {
            from: min + width * i as f64,
            to: min + width * (i + 1) as f64,
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        let s = summarize(&values, true);
        let get = |p| s.percentiles.iter().find(|x| x.p == p).unwrap().value;
        assert_eq!((get(5), get(50), get(95)), (5.0, 50.0, 95.0));
        assert_eq!((s.min, s.max), (1.0, 100.0));
        assert!((s.mean - 50.5).abs() < 1e-12);
        assert!((s.sd - 29.011491975882016).abs() < 1e-9);
    }

    #[test]
    fn order_statistics_match_a_sort() {
        // Large enough for bucket selection, with ties and a long tail.
        let values: Vec<f64> = (0..100_000)
            .map(|i| {
                let v = ((i * 7919) % 100_000) as f64;
                if i % 3 == 0 { v * v } else { v.floor() / 7.0 }
            })
            .collect();
        let ranks = [0, 3, 10, 49_999, 50_000, 50_001, 99_998, 99_999];
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let expected: Vec<f64> = ranks.iter().map(|r| sorted[*r]).collect();
        assert_eq!(order_statistics(&values, &ranks), expected);
        let small: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1000) as f64).collect();
        let ranks = [0, 3, 10, 499, 500, 501, 998, 999];
        let mut sorted = small.clone();
        sorted.sort_by(f64::total_cmp);
        let expected: Vec<f64> = ranks.iter().map(|r| sorted[*r]).collect();
        assert_eq!(order_statistics(&small, &ranks), expected);
        for x in [-1e300, -2.5, -0.0, 0.0, 1e-300, 3.0, f64::INFINITY] {
            assert_eq!(unsortable(sortable(x)).to_bits(), x.to_bits());
        }
        assert!(
            sortable(-2.5) < sortable(-0.0)
                && sortable(-0.0) < sortable(0.0)
                && sortable(0.0) < sortable(1.0)
        );
    }

    #[test]
    fn constant_column_has_zero_spread() {
        let s = summarize(&[7.0; 1000], true);
        assert_eq!(s.sd, 0.0);
        assert!(
            s.percentiles
                .iter()
                .all(|p| p.value == 7.0 && p.se == Some(0.0))
        );
        assert_eq!(probability_at_least(&[1.0, -1.0, 2.0, 0.0], 0.0).0, 0.75);
        assert_eq!(
            histogram(&[1.0, 2.0, 3.0, 4.0], 2)
                .iter()
                .map(|b| b.count)
                .collect::<Vec<_>>(),
            vec![2, 2]
        );
    }
}
