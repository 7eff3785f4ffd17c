//! The AVX2 paths of [`Distribution::quantiles_in_place`]: four draws at a time, with the
//! same operations as the scalar loop, so the same bits.

use super::{Distribution, Kind, TAIL};

impl Distribution {
    /// [`Distribution::quantiles_in_place`] for a processor with AVX2: the body of the PERT
    /// and normal tables four draws at a time, by the same operations, so with the same bits.
    ///
    /// # Safety
    ///
    /// The processor must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub fn quantiles_in_place_avx2(&self, values: &mut [f64]) {
        use std::arch::x86_64::*;
        if let Kind::Triangular { min, mode, max } = self.kind
            && max > min
        {
            return triangular_avx2(values, min, mode, max);
        }
        let Some((offset, scale)) = self.tabled_line() else {
            return self.quantiles_in_place(values);
        };
        let scalar = |u: f64| offset + scale * self.tabled_fast(u, |p| self.exact_standard(p));
        let points = _mm256_set1_pd(self.points as f64);
        let (low, high) = (_mm256_set1_pd(TAIL), _mm256_set1_pd(1.0 - TAIL));
        let (offset4, scale4) = (_mm256_set1_pd(offset), _mm256_set1_pd(scale));
        let mut chunks = values.chunks_exact_mut(4);
        for chunk in &mut chunks {
            // SAFETY: the chunk is four f64s, loaded and stored unaligned.
            let u = unsafe { _mm256_loadu_pd(chunk.as_ptr()) };
            let body = _mm256_and_pd(
                _mm256_cmp_pd::<_CMP_GE_OQ>(u, low),
                _mm256_cmp_pd::<_CMP_LE_OQ>(u, high),
            );
            let standard =
                crate::simulate::kernel::interpolate(&self.table, _mm256_mul_pd(u, points));
            let value = _mm256_add_pd(offset4, _mm256_mul_pd(scale4, standard));
            // SAFETY: as for the load.
            unsafe { _mm256_storeu_pd(chunk.as_mut_ptr(), value) };
            // About one chunk in eight has a draw in a tail (1/32 of draws): redone one by one.
            let inside = _mm256_movemask_pd(body);
            if inside != 0b1111 {
                // SAFETY: four f64s, any bits of which are a valid array of four f64s.
                let drawn: [f64; 4] = unsafe { std::mem::transmute(u) };
                for (lane, (value, u)) in chunk.iter_mut().zip(drawn).enumerate() {
                    if inside & (1 << lane) == 0 {
                        *value = scalar(u);
                    }
                }
            }
        }
        for u in chunks.into_remainder() {
            *u = scalar(*u);
        }
    }
}

/// The triangular quantiles of [`Distribution::quantiles_in_place`], four at a time with one
/// square root, of the chosen branch's operand, where the scalar loop takes both (the compiler
/// turns a choice of operand before a square root into jumps): the same operations on the
/// chosen side, so the same bits, for half the costliest instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn triangular_avx2(values: &mut [f64], min: f64, mode: f64, max: f64) {
    use std::arch::x86_64::*;
    let width = max - min;
    let split = (mode - min) / width;
    let (low, high) = (width * (mode - min), width * (max - mode));
    let (min4, max4, one) = (
        _mm256_set1_pd(min),
        _mm256_set1_pd(max),
        _mm256_set1_pd(1.0),
    );
    let (split4, low4, high4) = (
        _mm256_set1_pd(split),
        _mm256_set1_pd(low),
        _mm256_set1_pd(high),
    );
    let mut chunks = values.chunks_exact_mut(4);
    for chunk in &mut chunks {
        // SAFETY: the chunk is four f64s, loaded and stored unaligned.
        let p = unsafe { _mm256_loadu_pd(chunk.as_ptr()) };
        let below = _mm256_cmp_pd::<_CMP_LT_OQ>(p, split4);
        let operand = _mm256_blendv_pd(
            _mm256_mul_pd(_mm256_sub_pd(one, p), high4),
            _mm256_mul_pd(p, low4),
            below,
        );
        let root = _mm256_sqrt_pd(operand);
        let value = _mm256_blendv_pd(_mm256_sub_pd(max4, root), _mm256_add_pd(min4, root), below);
        // SAFETY: as for the load.
        unsafe { _mm256_storeu_pd(chunk.as_mut_ptr(), value) };
    }
    for u in chunks.into_remainder() {
        let p = *u;
        *u = if p < split {
            min + (p * low).sqrt()
        } else {
            max - ((1.0 - p) * high).sqrt()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::build;
    use super::*;

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn four_at_a_time_quantiles_are_the_scalar_ones() {
        use crate::simulate::kernel::Isa;
        if Isa::detect() != Isa::Avx2 {
            return;
        }
        // Evenly spread probabilities, then the edges: the tails' bounds and their neighbours,
        // cell boundaries of both tables, the extremes a draw can take.
        let mut probabilities: Vec<f64> =
            (0..20_011).map(|i| (i as f64 + 0.5) / 20_011.0).collect();
        for edge in [TAIL, 1.0 - TAIL, 0.5, 1.0 / 3.0] {
            probabilities.extend([edge.next_down(), edge, edge.next_up()]);
        }
        for i in 0..=4096 {
            let p = i as f64 / 4096.0;
            probabilities.extend([p.next_down(), p, p.next_up(), TAIL * p, 1.0 - TAIL * p]);
        }
        // The smallest draws and the largest below 1; no draw is below 2^-54 (and the exact
        // beta quantile fails for some far smaller probabilities).
        let smallest = 1.0 / 18_014_398_509_481_984.0;
        probabilities.extend([
            smallest,
            2.0 * smallest,
            1.0 - 2.0 * smallest,
            1.0 - smallest,
        ]);
        probabilities.retain(|p| (smallest..1.0).contains(p));
        for yaml in [
            "pert: { min: 1, mode: 2, max: 5 }",
            "pert: { min: 0.6, mode: 1.0, max: 1.15 }",
            "normal: { mean: 100, sd: 15 }",
            "normal: { mean: 0, sd: 1 }",
            "triangular: { min: 450, mode: 586, max: 800 }",
            "triangular: { min: 1, mode: 1, max: 2 }",
            "triangular: { min: 1, mode: 2, max: 2 }",
            "uniform: { min: 15, max: 22 }",
            "lognormal: { mean: 10, sd: 2 }",
        ] {
            let distribution = build(yaml).unwrap();
            // Odd lengths leave a remainder after the fours, done the scalar way.
            for length in [probabilities.len(), probabilities.len() - 1] {
                let mut scalar = probabilities[..length].to_vec();
                let mut fast = scalar.clone();
                distribution.quantiles_in_place(&mut scalar);
                // SAFETY: AVX2 was detected above.
                unsafe { distribution.quantiles_in_place_avx2(&mut fast) };
                for ((a, b), p) in scalar.iter().zip(&fast).zip(&probabilities) {
                    assert_eq!(a.to_bits(), b.to_bits(), "{yaml} at {p:e}");
                }
            }
        }
    }
}
