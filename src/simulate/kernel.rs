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
