//! How many iterations a simulation may run: at least one, at most [`MAX_ITERATIONS`]. Memory
//! sets no lower limit: the statistics take the same whatever the count, and `--samples` rows
//! are written as the blocks arrive.

/// The most iterations a command line or a scenario file may ask for.
pub const MAX_ITERATIONS: u64 = 1_000_000_000;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_one_to_a_billion() {
        assert!(check_range(1).is_ok() && check_range(MAX_ITERATIONS).is_ok());
        assert!(check_range(0).is_err() && check_range(MAX_ITERATIONS + 1).is_err());
    }
}
