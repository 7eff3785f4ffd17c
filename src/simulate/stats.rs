//! Summary statistics of a column of Monte Carlo outputs: moments, percentiles with their
//! Monte Carlo standard errors, probabilities and histograms. Pure numerics, in a fixed order.

use super::kernel::Isa;
use serde::Serialize;

/// Percentiles reported for every output.
pub const PERCENTILES: [u32; 5] = [5, 10, 50, 90, 95];

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Percentile {
    /// The percentile, e.g. 90 for P90.
    pub p: u32,
    /// The nearest-rank value: the ceil(p n / 100)-th smallest.
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub value: f64,
    /// Its Monte Carlo standard error, for the horizon figures only (`None`, absent from
    /// JSON, for the others): half the distance between the order statistics one binomial
    /// standard deviation (sqrt(n p (1 - p))) either side of its rank. `Some(None)`, JSON
    /// `null`: undefined, with fewer than two iterations (there is no second order statistic).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::export::schema::money::option_option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub se: Option<Option<f64>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Summary {
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub mean: f64,
    /// Sample standard deviation (n - 1); `None` (JSON `null`) with fewer than two iterations.
    #[serde(serialize_with = "crate::export::schema::money::option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub sd: Option<f64>,
    /// Standard error of the mean, sd / sqrt(n) (conservative under Latin hypercube); `None`
    /// with fewer than two iterations.
    #[serde(serialize_with = "crate::export::schema::money::option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub se_mean: Option<f64>,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub min: f64,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub max: f64,
    pub percentiles: Vec<Percentile>,
}

/// Sum (in eight interleaved accumulators, the value at position i into accumulator i % 8,
/// combined pairwise), minimum and maximum, in one pass that the compiler vectorises.
#[inline(always)]
fn sum_min_max(values: &[f64]) -> (f64, f64, f64) {
    let mut sums = [0.0f64; 8];
    let mut lows = [f64::INFINITY; 8];
    let mut highs = [f64::NEG_INFINITY; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    // Plain comparisons rather than `f64::min`, whose care for NaN stops the vectorising (a
    // NaN makes the sum NaN, which the Monte Carlo reports as an error).
    for chunk in chunks {
        for i in 0..8 {
            let x = chunk[i];
            sums[i] += x;
            lows[i] = if x < lows[i] { x } else { lows[i] };
            highs[i] = if x > highs[i] { x } else { highs[i] };
        }
    }
    for (i, x) in rest.iter().enumerate() {
        sums[i] += x;
        lows[i] = if *x < lows[i] { *x } else { lows[i] };
        highs[i] = if *x > highs[i] { *x } else { highs[i] };
    }
    (
        combine(sums),
        lows.into_iter().fold(f64::INFINITY, f64::min),
        highs.into_iter().fold(f64::NEG_INFINITY, f64::max),
    )
}

/// Sum of squared deviations from `centre`, in the same order as [`sum_min_max`].
#[inline(always)]
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

/// An output's moments over some iterations. Built a block at a time and combined in block
/// order, so the same iterations give the same bits however they were run or kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub count: u64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    pub const EMPTY: Moments = Moments {
        count: 0,
        sum: 0.0,
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        m2: 0.0,
    };

    /// The moments of one block's values.
    pub fn of(values: &[f64]) -> Moments {
        Moments::of_with(Isa::Portable, values)
    }

    /// [`Moments::of`] compiled for `isa` (the same bits: the same additions in the same order).
    pub fn of_with(isa: Isa, values: &[f64]) -> Moments {
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
            Isa::Avx2 => unsafe { Moments::of_avx2(values) },
            _ => Moments::of_inline(values),
        }
    }

    /// [`Moments::of`] with the eight accumulators in two registers of four: lane i of the
    /// first holds accumulator i, of the second accumulator 4 + i, as in the portable loop.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn of_avx2(values: &[f64]) -> Moments {
        use std::arch::x86_64::*;
        let eights = values.chunks_exact(8);
        if values.len() < 8 || !eights.remainder().is_empty() {
            return Moments::of_inline(values);
        }
        let lanes = |v: __m256d| -> [f64; 4] {
            let mut out = [0.0; 4];
            // SAFETY: `out` holds four f64s; the store is unaligned.
            unsafe { _mm256_storeu_pd(out.as_mut_ptr(), v) };
            out
        };
        let load = |eight: &[f64]| {
            // SAFETY: `eight` holds eight f64s; the loads are unaligned.
            unsafe {
                (
                    _mm256_loadu_pd(eight.as_ptr()),
                    _mm256_loadu_pd(eight.as_ptr().add(4)),
                )
            }
        };
        let (mut sum_a, mut sum_b) = (_mm256_setzero_pd(), _mm256_setzero_pd());
        let (mut low_a, mut low_b) = (_mm256_set1_pd(f64::INFINITY), _mm256_set1_pd(f64::INFINITY));
        let (mut high_a, mut high_b) = (
            _mm256_set1_pd(f64::NEG_INFINITY),
            _mm256_set1_pd(f64::NEG_INFINITY),
        );
        for eight in eights.clone() {
            let (a, b) = load(eight);
            sum_a = _mm256_add_pd(sum_a, a);
            sum_b = _mm256_add_pd(sum_b, b);
            // `min_pd(x, low)` is `x < low ? x : low`, as the portable loop.
            low_a = _mm256_min_pd(a, low_a);
            low_b = _mm256_min_pd(b, low_b);
            high_a = _mm256_max_pd(a, high_a);
            high_b = _mm256_max_pd(b, high_b);
        }
        let join = |a: __m256d, b: __m256d| {
            let (a, b) = (lanes(a), lanes(b));
            [a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]]
        };
        let sum = combine(join(sum_a, sum_b));
        let centre = _mm256_set1_pd(sum / values.len() as f64);
        let (mut sq_a, mut sq_b) = (_mm256_setzero_pd(), _mm256_setzero_pd());
        for eight in eights {
            let (a, b) = load(eight);
            let (da, db) = (_mm256_sub_pd(a, centre), _mm256_sub_pd(b, centre));
            sq_a = _mm256_add_pd(sq_a, _mm256_mul_pd(da, da));
            sq_b = _mm256_add_pd(sq_b, _mm256_mul_pd(db, db));
        }
        Moments {
            count: values.len() as u64,
            sum,
            min: join(low_a, low_b).into_iter().fold(f64::INFINITY, f64::min),
            max: join(high_a, high_b)
                .into_iter()
                .fold(f64::NEG_INFINITY, f64::max),
            m2: combine(join(sq_a, sq_b)),
        }
    }

    #[inline(always)]
    fn of_inline(values: &[f64]) -> Moments {
        if values.is_empty() {
            return Moments::EMPTY;
        }
        let (sum, min, max) = sum_min_max(values);
        Moments {
            count: values.len() as u64,
            sum,
            min,
            max,
            m2: squares_about(values, sum / values.len() as f64),
        }
    }

    /// Adds the moments of later iterations (the pairwise update of Chan, Golub and LeVeque):
    /// no catastrophic cancellation, however far the mean is from zero.
    pub fn add(&mut self, later: &Moments) {
        if later.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *later;
            return;
        }
        let (a, b) = (self.count as f64, later.count as f64);
        let delta = later.sum / b - self.sum / a;
        self.m2 += later.m2 + delta * delta * (a * b / (a + b));
        self.sum += later.sum;
        self.count += later.count;
        self.min = self.min.min(later.min);
        self.max = self.max.max(later.max);
    }

    pub fn mean(&self) -> f64 {
        self.sum / self.count as f64
    }

    /// Sample standard deviation (n - 1): undefined for fewer than two values, where one value
    /// says nothing of the spread (rather than a spread of 0).
    pub fn sd(&self) -> Option<f64> {
        (self.count > 1).then(|| (self.m2 / (self.count - 1) as f64).sqrt())
    }

    /// Standard error of the mean (undefined as [`Moments::sd`] is).
    pub fn se_mean(&self) -> Option<f64> {
        self.sd().map(|sd| sd / (self.count as f64).sqrt())
    }
}

/// The moments of `values` taken `block` at a time, combined in order: what the Monte Carlo
/// computes as its blocks arrive.
pub fn moments_by_block(values: &[f64], block: usize) -> Moments {
    let mut total = Moments::EMPTY;
    for part in values.chunks(block) {
        total.add(&Moments::of(part));
    }
    total
}

/// For each reported percentile of `n` values: the 0-based nearest rank, and the ranks one
/// binomial standard deviation either side that give its standard error (the rank itself
/// without errors).
pub fn percentile_ranks(n: u64, with_errors: bool) -> Vec<(u64, u64, u64)> {
    PERCENTILES
        .iter()
        .map(|p| {
            let q = *p as f64 / 100.0;
            let rank = ((q * n as f64).ceil() as u64).clamp(1, n) - 1;
            let spread = if with_errors {
                (n as f64 * q * (1.0 - q)).sqrt().ceil() as u64
            } else {
                0
            };
            (
                rank.saturating_sub(spread),
                rank,
                (rank + spread).min(n - 1),
            )
        })
        .collect()
}

/// Every rank [`percentile_ranks`] needs, sorted and once each.
pub fn wanted_ranks(n: u64, with_errors: bool) -> Vec<u64> {
    let mut wanted: Vec<u64> = percentile_ranks(n, with_errors)
        .into_iter()
        .flat_map(|(lo, mid, hi)| [lo, mid, hi])
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

impl Summary {
    /// A summary from an output's moments and its values at [`wanted_ranks`] (in that order).
    pub fn new(moments: &Moments, with_errors: bool, at_wanted: &[f64]) -> Summary {
        let n = moments.count;
        if n == 0 {
            return Summary {
                mean: f64::NAN,
                sd: None,
                se_mean: None,
                min: f64::NAN,
                max: f64::NAN,
                percentiles: Vec::new(),
            };
        }
        let wanted = wanted_ranks(n, with_errors);
        let at = |rank: u64| at_wanted[wanted.binary_search(&rank).expect("a wanted rank")];
        let percentiles = PERCENTILES
            .iter()
            .zip(percentile_ranks(n, with_errors))
            .map(|(p, (lo, mid, hi))| Percentile {
                p: *p,
                value: at(mid),
                // One value has no neighbours either side: lo = hi, so no standard error.
                se: with_errors.then(|| (n > 1).then(|| (at(hi) - at(lo)) / 2.0)),
            })
            .collect();
        Summary {
            mean: moments.mean(),
            sd: moments.sd(),
            se_mean: moments.se_mean(),
            min: moments.min,
            max: moments.max,
            percentiles,
        }
    }
}

/// Moments (a block of the Monte Carlo at a time) and exact percentiles of `values`; with
/// `with_errors`, percentile standard errors too.
pub fn summarize(values: &[f64], with_errors: bool) -> Summary {
    let moments = moments_by_block(values, super::sampler::BLOCK);
    if values.is_empty() {
        return Summary::new(&moments, with_errors, &[]);
    }
    let wanted: Vec<usize> = wanted_ranks(values.len() as u64, with_errors)
        .into_iter()
        .map(|r| r as usize)
        .collect();
    let order = order_statistics_within(values, &wanted, moments.min, moments.max);
    Summary::new(&moments, with_errors, &order)
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

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Bin {
    /// Lower edge (inclusive).
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub from: f64,
    /// Upper edge (exclusive, but the last bin includes the maximum).
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub to: f64,
    /// Iterations in the bin.
    pub count: u64,
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
        assert!((s.sd.unwrap() - 29.011491975882016).abs() < 1e-9);
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
        assert_eq!(s.sd, Some(0.0));
        assert!(
            s.percentiles
                .iter()
                .all(|p| p.value == 7.0 && p.se == Some(Some(0.0)))
        );
    }

    #[test]
    fn one_value_has_no_spread_to_measure() {
        let s = summarize(&[7.0], true);
        assert_eq!((s.mean, s.min, s.max), (7.0, 7.0, 7.0));
        assert_eq!((s.sd, s.se_mean), (None, None));
        assert!(
            s.percentiles
                .iter()
                .all(|p| p.value == 7.0 && p.se == Some(None))
        );
        // Without percentile errors asked for, none is reported, defined or not.
        assert!(
            summarize(&[7.0], false)
                .percentiles
                .iter()
                .all(|p| p.se.is_none())
        );
        let two = summarize(&[1.0, 3.0], true);
        assert_eq!(two.sd, Some(2f64.sqrt()));
        assert!(two.percentiles.iter().all(|p| p.se == Some(Some(1.0))));
    }
}
