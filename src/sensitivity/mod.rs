//! Sensitivity analysis: sweeps, tornado diagrams, switching values and scenario comparison.
//!
//! Every command names inputs by their path in the scenario file (`tec-model inputs` lists
//! them; `path[2023/24]` is one year of a series) and outputs by the figure names of `check`
//! (`summary.cumulative_net`, ...). Every evaluation is one exact run of the single model
//! ([`crate::model::evaluate`] through [`crate::report::Report::build`]): no figure is read
//! through f64.

pub mod baseline;
pub mod commands;
pub mod compare;
pub mod error;
pub mod outputs;
pub mod points;
pub mod render;
pub mod solve;
pub mod solve_render;
pub mod sweep;
pub mod sweep_write;
pub mod tornado;
pub mod vary;

pub use error::SensitivityError;

#[cfg(test)]
mod tests;
