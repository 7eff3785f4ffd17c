//! The deterministic business-case model, generic over its number type.

pub mod adjustments;
pub mod engine;
pub mod exposure;
pub mod kpi;
pub mod spec;
pub mod users;
pub mod vocabulary;
pub mod window;

#[cfg(test)]
mod kind_tests;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub use engine::{
    LineValues, Outcome, YearTotals, evaluate, evaluate_from, evaluate_into, evaluate_into_from,
};
pub use spec::Model;
