//! The Monte Carlo: uncertain inputs sampled in seeded, parallel blocks through the same model
//! as `run`, summarised as risk figures a finance officer can quote.

pub mod batch;
pub mod collect;
pub mod correlation;
pub mod distribution;
pub mod figures;
pub mod groups;
pub mod histogram;
pub mod influence;
pub mod kernel;
pub mod lanes;
pub mod limits;
pub mod program;
pub mod quasi;
pub mod render;
pub mod report;
pub mod run;
pub mod sampler;
pub mod samples;
pub mod stats;
pub mod tape;
pub mod windows;

#[cfg(test)]
mod tests;
