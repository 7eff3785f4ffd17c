//! The Monte Carlo: uncertain inputs sampled in seeded, parallel blocks through the same model
//! as `run`, summarised as risk figures a finance officer can quote.

pub mod correlation;
pub mod distribution;
pub mod lanes;
pub mod limits;
pub mod render;
pub mod report;
pub mod run;
pub mod sampler;
pub mod stats;

#[cfg(test)]
mod tests;
