//! Sobol' low-discrepancy points for the designs of `sensitivity --sampling sobol`: Joe and
//! Kuo's direction numbers (new-joe-kuo-6, the first 256 dimensions, the table scipy and
//! SALib use), 32 bits of them, then a random digital shift from the seed (each coordinate
//! XORed with 64 seeded random bits), which keeps every net property of the sequence, moves
//! its first point off zero and makes each seed give its own, equally good, design.
//!
//! Point `i` is the XOR of the direction numbers of the bits of `i`'s Gray code, so any block
//! of points can start anywhere, on any thread, and the points come out the same.
//!
//! Direction numbers: Copyright (c) 2008, Frances Y. Kuo and Stephen Joe, published with
//! permission to redistribute with their notice (S. Joe and F. Y. Kuo, Constructing Sobol'
//! sequences with better two-dimensional projections, SIAM J. Sci. Comput. 30, 2635-2654,
//! 2008).

use super::sampler::{block_rng, unit};
use rand::Rng;

/// The table: for dimensions 2 to 256, `d s a m_1 ... m_s`.
const TABLE: &str = include_str!("quasi/new-joe-kuo-6.256.txt");

/// Bits of each direction number: points up to index 2^32 - 1.
const BITS: usize = 32;

/// The most dimensions the table gives.
pub const MAX_DIMENSIONS: usize = 256;

/// The most points: indices below 2^32.
pub const MAX_POINTS: u64 = 1 << BITS;

/// A digitally shifted Sobol' sequence in `dimensions` dimensions.
#[derive(Debug, Clone)]
pub struct Sobol {
    /// For each dimension, its direction numbers in the top 32 bits of a u64.
    directions: Vec<[u64; BITS]>,
    shift: Vec<u64>,
}

/// Each dimension's direction numbers, the first dimension's being the van der Corput
/// sequence's.
fn directions(dimensions: usize) -> Vec<[u64; BITS]> {
    let mut all = Vec::with_capacity(dimensions);
    let mut first = [0u64; BITS];
    for (j, v) in first.iter_mut().enumerate() {
        *v = 1u64 << (63 - j);
    }
    all.push(first);
    for line in TABLE.lines().take(dimensions.saturating_sub(1)) {
        let numbers: Vec<u64> = line
            .split_whitespace()
            .map(|n| n.parse().expect("the table holds whole numbers"))
            .collect();
        let (s, a) = (numbers[1] as usize, numbers[2]);
        let m = &numbers[3..3 + s];
        let mut v = [0u64; BITS];
        for j in 0..BITS {
            v[j] = if j < s {
                m[j] << (63 - j)
            } else {
                // Bratley and Fox's recurrence on the primitive polynomial's coefficients.
                let mut value = v[j - s] ^ (v[j - s] >> s);
                for k in 1..s {
                    if (a >> (s - 1 - k)) & 1 == 1 {
                        value ^= v[j - k];
                    }
                }
                value
            };
        }
        all.push(v);
    }
    all
}

impl Sobol {
    /// The sequence shifted by random bits from `seed` (stream `u64::MAX` of the seed, which
    /// no block of draws uses).
    pub fn new(dimensions: usize, seed: u64) -> Option<Sobol> {
        if dimensions > MAX_DIMENSIONS {
            return None;
        }
        let mut rng = block_rng(seed, u64::MAX);
        Some(Sobol {
            directions: directions(dimensions),
            shift: (0..dimensions).map(|_| rng.next_u64()).collect(),
        })
    }

    /// Unshifted integer coordinates of point `index`, each in the top 32 bits.
    fn integers(&self, index: u64) -> Vec<u64> {
        let gray = index ^ (index >> 1);
        self.directions
            .iter()
            .map(|v| {
                (0..BITS)
                    .filter(|b| (gray >> b) & 1 == 1)
                    .fold(0, |x, b| x ^ v[b])
            })
            .collect()
    }

    /// Fills `columns` (one column of `rows` values per dimension) with points `first` to
    /// `first + len - 1`, shifted, as uniforms strictly inside (0, 1).
    pub fn fill(&self, first: u64, len: usize, rows: usize, columns: &mut [f64]) {
        let dimensions = self.directions.len();
        debug_assert!(columns.len() >= dimensions * rows && len <= rows);
        let mut x = self.integers(first);
        for r in 0..len {
            let index = first + r as u64;
            if r > 0 {
                // Gray code order: the next point differs in the direction of the lowest zero
                // bit of the previous index.
                let bit = (!(index - 1)).trailing_zeros() as usize;
                for (d, value) in x.iter_mut().enumerate() {
                    *value ^= self.directions[d][bit];
                }
            }
            for d in 0..dimensions {
                columns[d * rows + r] = unit(x[d] ^ self.shift[d]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unshifted sequence is scipy's (which SALib uses), to its 30 bits.
    #[test]
    fn the_points_are_joe_and_kuos() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sobol-scipy.txt"),
        )
        .unwrap();
        let sobol = Sobol::new(MAX_DIMENSIONS, 0).unwrap();
        let to30 = |x: u64| x >> 34;
        let points: Vec<Vec<u64>> = (0..1024).map(|i| sobol.integers(i)).collect();
        let far: Vec<Vec<u64>> = (1_000_000..1_000_004).map(|i| sobol.integers(i)).collect();
        let mut dimensions = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let n: Vec<u128> = line
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            let d = n[0] as usize;
            let sum: u128 = points.iter().map(|p| to30(p[d]) as u128).sum();
            let weighted: u128 = (points.iter().enumerate())
                .map(|(i, p)| (i as u128 + 1) * to30(p[d]) as u128)
                .sum();
            assert_eq!((sum, weighted), (n[1], n[2]), "dimension {d}");
            for (k, point) in far.iter().enumerate() {
                assert_eq!(to30(point[d]) as u128, n[3 + k], "dimension {d}, point {k}");
            }
            dimensions += 1;
        }
        assert_eq!(dimensions, MAX_DIMENSIONS);
    }

    #[test]
    fn blocks_started_anywhere_give_the_same_points() {
        let sobol = Sobol::new(5, 42).unwrap();
        let mut whole = vec![0.0; 5 * 100];
        sobol.fill(0, 100, 100, &mut whole);
        let mut part = vec![0.0; 5 * 40];
        sobol.fill(37, 40, 40, &mut part);
        for d in 0..5 {
            for r in 0..40 {
                assert_eq!(part[d * 40 + r], whole[d * 100 + 37 + r]);
            }
        }
        // Shifted, yet still one point in each of the 64 strata of each dimension.
        let mut strata = vec![0usize; 64];
        let mut first = vec![0.0; 5 * 64];
        sobol.fill(0, 64, 64, &mut first);
        for d in 0..5 {
            strata.fill(0);
            for r in 0..64 {
                let u = first[d * 64 + r];
                assert!(u > 0.0 && u < 1.0);
                strata[(u * 64.0) as usize] += 1;
            }
            assert!(strata.iter().all(|c| *c == 1), "dimension {d}");
        }
        assert!(Sobol::new(MAX_DIMENSIONS + 1, 0).is_none());
        let other = Sobol::new(5, 43).unwrap();
        let mut shifted = vec![0.0; 5];
        other.fill(0, 1, 1, &mut shifted);
        assert_ne!(shifted[0], whole[0]);
    }
}
