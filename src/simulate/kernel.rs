//! The instruction sets the Monte Carlo's inner loop ([`super::program`]) is compiled for,
//! chosen at run time: AVX2's four-wide, three-operand instructions halve the engine's
//! work over lanes, and a build for the baseline still runs on every machine.
//!
//! Both give the same bits: Rust never fuses a multiply and an add, so each lane sees the same
//! IEEE operations in the same order whatever the width of the instructions that carry them.

/// Instruction sets the kernel is compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
    /// The target's baseline (SSE2 on x86-64).
    Portable,
    /// x86-64 with AVX2, detected at run time.
    Avx2,
}

impl Isa {
    /// The widest instruction set this processor has.
    pub fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            return Isa::Avx2;
        }
        Isa::Portable
    }
}

/// Four linear interpolations in `table` at once:
/// `table[cell] + (position - cell) * (table[cell + 1] - table[cell])` with `cell` the position
/// truncated, the scalar lookups' operations in their order, so each lane gives their bits for
/// every position in [0, table.len() - 1) (where truncation to `i32` is exact). Other lanes
/// (beyond the table, NaN) are only kept inside it, for the gathers' safety: callers redo them.
///
/// # Safety
///
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
pub fn interpolate(
    table: &[f64],
    position: std::arch::x86_64::__m256d,
) -> std::arch::x86_64::__m256d {
    use std::arch::x86_64::*;
    assert!((2..=i32::MAX as usize).contains(&table.len()));
    let last = _mm_set1_epi32(table.len() as i32 - 2);
    let cell = _mm_min_epi32(
        _mm_max_epi32(_mm256_cvttpd_epi32(position), _mm_setzero_si128()),
        last,
    );
    let weight = _mm256_sub_pd(position, _mm256_cvtepi32_pd(cell));
    // SAFETY: every cell is in [0, len - 2], so both it and the next are in the table.
    let (low, high) = unsafe {
        (
            _mm256_i32gather_pd::<8>(table.as_ptr(), cell),
            _mm256_i32gather_pd::<8>(table.as_ptr().add(1), cell),
        )
    };
    _mm256_add_pd(low, _mm256_mul_pd(weight, _mm256_sub_pd(high, low)))
}
