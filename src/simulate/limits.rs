//! How many iterations a simulation may run: at least one, at most [`MAX_ITERATIONS`], and,
//! with `--samples` (which keeps every iteration's outputs and draws), no more than fit in
//! memory. Checked before the first iteration runs.

use super::run::outputs;

/// The most iterations a command line or a scenario file may ask for.
pub const MAX_ITERATIONS: u64 = 1_000_000_000;
/// The memory the kept samples may take: 4 GiB, a sixth of the 24 GiB machine.
pub const SAMPLE_BUDGET_BYTES: u64 = 4 << 30;

/// Checks a number of iterations given in a scenario file.
pub fn check_range(iterations: u64) -> Result<(), String> {
    if (1..=MAX_ITERATIONS).contains(&iterations) {
        Ok(())
    } else {
        Err(format!(
            "must be from 1 to {MAX_ITERATIONS}, got {iterations}"
        ))
    }
}

/// Bytes kept per iteration: each output, each kept input draw, and the payback year.
pub fn bytes_per_iteration(years: usize, kept_inputs: usize) -> u64 {
    ((outputs(years).len() + kept_inputs) * 8 + 1) as u64
}

/// The most iterations whose samples fit in [`SAMPLE_BUDGET_BYTES`].
pub fn max_iterations(years: usize, kept_inputs: usize) -> u64 {
    (SAMPLE_BUDGET_BYTES / bytes_per_iteration(years, kept_inputs)).min(MAX_ITERATIONS)
}

/// More iterations asked for than the samples of this horizon fit in memory.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{file}: {iterations} iterations of a {years}-year case would keep {gib:.1} GiB of samples; \
     at most {max} fit in the {budget} GiB allowed (ask for fewer, or stop early with --precision)",
    gib = *bytes as f64 / (1u64 << 30) as f64,
    budget = SAMPLE_BUDGET_BYTES >> 30
)]
pub struct TooManyIterations {
    pub file: String,
    pub iterations: u64,
    pub years: usize,
    pub bytes: u64,
    pub max: u64,
}

/// Checks that `iterations` fit in memory for a case of `years` keeping `kept_inputs` draws.
pub fn check_memory(
    file: &str,
    iterations: u64,
    years: usize,
    kept_inputs: usize,
) -> Result<(), TooManyIterations> {
    let max = max_iterations(years, kept_inputs);
    if iterations <= max {
        return Ok(());
    }
    Err(TooManyIterations {
        file: file.to_string(),
        iterations,
        years,
        bytes: iterations.saturating_mul(bytes_per_iteration(years, kept_inputs)),
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_billion_iterations_do_not_fit_but_a_million_do() {
        assert!(check_memory("s.yaml", 1_000_000, 5, 6).is_ok());
        let error = check_memory("s.yaml", 1_000_000_000, 5, 6).unwrap_err();
        assert!(error.max > 10_000_000 && error.max < 20_000_000, "{error}");
        assert!(error.to_string().contains("269.2 GiB"), "{error}");
        assert!(check_range(0).is_err() && check_range(u64::MAX).is_err());
    }
}
