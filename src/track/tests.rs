//! Tests of `track`: aggregation, variances, the re-forecast and bad actuals.
