//! `tec-model solve`: the switching value of an input, the value at which an output meets a
//! target (the HM Treasury Green Book term).
//!
//! Money is rounded to the pound per line, so an output is a step function of an input:
//! bisection, which needs only the sign of `output - target`, is the robust choice. From the
//! base value the search steps outward both ways, doubling its step, inside the input's
//! allowed range, until the output crosses the target (the crossing nearest the base); then it
//! bisects the bracket. The value reported is the first, at six significant figures, at which
//! the target is met (output at or above it), with its neighbour one step nearer the crossing
//! at which it is not; both come from exact runs.

use super::SensitivityError;
use super::outputs;
use super::sweep::base_report;
use super::vary::{parse_number, quantum};
use crate::scenario::Scenario;
use crate::scenario::input::Input;
use crate::scenario::params::Domain;
use rust_decimal::Decimal;

/// Outward steps tried each way before the search gives up on an unbounded range.
const MAX_STEPS: u32 = 96;
/// Bisection halvings at most (the bracket is far narrower long before).
const MAX_HALVINGS: u32 = 200;

/// A target `output=value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub output: String,
    pub value: Decimal,
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq)]
pub enum Solution {
    Found {
        /// The switching value: the target is met here.
        value: Decimal,
        output_at_value: Decimal,
        /// One step (`step`) nearer the crossing, where the target is not met.
        neighbour: Decimal,
        output_at_neighbour: Decimal,
        step: Decimal,
        runs: usize,
    },
    /// No value in the range searched meets the target; the least and greatest outputs seen.
    NotFound {
        searched: (Decimal, Decimal),
        least: (Decimal, Decimal),
        greatest: (Decimal, Decimal),
        runs: usize,
    },
}

/// A parsed problem: the input, its base value and the target.
#[derive(Debug, Clone)]
pub struct Problem {
    pub input: Input,
    pub base: Decimal,
    pub base_output: Decimal,
    pub target: Target,
}

impl Problem {
    pub fn parse(
        scenario: &Scenario,
        vary: &str,
        target: &str,
    ) -> Result<Problem, SensitivityError> {
        let input = scenario
            .input(vary)
            .map_err(|source| SensitivityError::Input {
                file: scenario.path().to_path_buf(),
                flag: "--vary",
                source,
            })?;
        let bad = |m: String| SensitivityError::expression("--target", target, m);
        let (name, value) = target.split_once('=').ok_or_else(|| {
            bad("write `output=value`, e.g. `summary.cumulative_net=2000000`".into())
        })?;
        let value = parse_number(value).map_err(bad)?;
        let report = base_report(scenario)?;
        let output = outputs::resolve_amount(&report, name, "a target must be an amount")?;
        let slots = &input.slots;
        let base = input.base(&scenario.params).unwrap_or_else(|| {
            let sum: Decimal = slots.iter().map(|s| scenario.params.values[*s]).sum();
            sum / Decimal::from(slots.len())
        });
        Ok(Problem {
            base_output: outputs::amount(&report, &output),
            input,
            base,
            target: Target { output, value },
        })
    }

    /// Searches for the switching value.
    pub fn solve(&self, scenario: &Scenario) -> Result<Solution, SensitivityError> {
        let mut search = Search {
            local: scenario.clone(),
            base: scenario,
            problem: self,
            runs: 0,
            seen: Vec::new(),
        };
        let (lower, upper) = limits(self.input.domain);
        let start = self.base;
        let met_at_start = search.met(start)?.is_some_and(|(met, _)| met);
        let step = self.base.abs().max(Decimal::ONE) / Decimal::from(64);
        let (mut up, mut down) = (Some(start), Some(start));
        let mut bracket = None;
        for k in 0..MAX_STEPS {
            let stride = step.checked_mul(Decimal::from(2u64.pow(k.min(62))));
            if let Some(from) = up {
                let next = stride
                    .and_then(|s| from.checked_add(s))
                    .map(|x| upper.map_or(x, |u| x.min(u)));
                match search.advance(from, next, met_at_start)? {
                    Step::Crossed(x) => bracket = Some((from, x)),
                    Step::Moved(x) => up = Some(x),
                    Step::Stopped => up = None,
                }
            }
            if let (Some(from), None) = (down, bracket) {
                let next = stride
                    .and_then(|s| from.checked_sub(s))
                    .map(|x| x.max(lower));
                match search.advance(from, next, met_at_start)? {
                    Step::Crossed(x) => bracket = Some((from, x)),
                    Step::Moved(x) => down = Some(x),
                    Step::Stopped => down = None,
                }
            }
            if bracket.is_some() || (up.is_none() && down.is_none()) {
                break;
            }
        }
        let Some((inside, outside)) = bracket else {
            return Ok(search.not_found());
        };
        let (mut met, mut unmet) = if met_at_start {
            (inside, outside)
        } else {
            (outside, inside)
        };
        for _ in 0..MAX_HALVINGS {
            let step = quantum(met.abs().max(unmet.abs()));
            if (met - unmet).abs() < step / Decimal::TEN {
                break;
            }
            let mid = met + (unmet - met) / Decimal::TWO;
            if search.met(mid)?.is_some_and(|(m, _)| m) {
                met = mid;
            } else {
                unmet = mid;
            }
        }
        search.round(met, unmet)
    }
}

/// The allowed range of an input: lowest value tried and, if any, highest.
fn limits(domain: Domain) -> (Decimal, Option<Decimal>) {
    match domain {
        Domain::Fraction => (Decimal::ZERO, Some(Decimal::ONE)),
        Domain::Rate => (Decimal::new(-999, 3), Some(Decimal::ONE)),
        Domain::NonNegative => (Decimal::ZERO, None),
        Domain::Positive => (Decimal::new(1, 9), None),
        Domain::UpTo(max) => (Decimal::ZERO, Some(max)),
    }
}

/// One outward step of the search for a bracket.
enum Step {
    /// The target's side changed between the last point and this one.
    Crossed(Decimal),
    /// Same side: carry on from here.
    Moved(Decimal),
    /// The end of the range (or an overflow) was reached.
    Stopped,
}

struct Search<'s> {
    local: Scenario,
    base: &'s Scenario,
    problem: &'s Problem,
    runs: usize,
    seen: Vec<(Decimal, Decimal)>,
}

impl Search<'_> {
    /// Whether the target is met at `x`, and the output; `None` outside the input's range or
    /// where a figure overflows (the search treats both as the end of the range).
    fn met(&mut self, x: Decimal) -> Result<Option<(bool, Decimal)>, SensitivityError> {
        if self.problem.input.check(x).is_err() {
            return Ok(None);
        }
        self.runs += 1;
        let report = outputs::report_at(&mut self.local, &[(&self.problem.input, x)]);
        self.local
            .params
            .values
            .clone_from(&self.base.params.values);
        let Ok(report) = report else { return Ok(None) };
        let output = outputs::amount(&report, &self.problem.target.output);
        self.seen.push((x, output));
        Ok(Some((output >= self.problem.target.value, output)))
    }

    /// Tries `next` after `from`.
    fn advance(
        &mut self,
        from: Decimal,
        next: Option<Decimal>,
        met_at_start: bool,
    ) -> Result<Step, SensitivityError> {
        let Some(x) = next.filter(|x| *x != from) else {
            return Ok(Step::Stopped);
        };
        Ok(match self.met(x)? {
            Some((met, _)) if met != met_at_start => Step::Crossed(x),
            Some(_) => Step::Moved(x),
            None => Step::Stopped,
        })
    }

    /// The first value at six significant figures that meets the target, and its neighbour.
    fn round(&mut self, met: Decimal, unmet: Decimal) -> Result<Solution, SensitivityError> {
        let step = quantum(met.abs().max(unmet.abs()));
        let away = if met > unmet {
            Decimal::ONE
        } else {
            -Decimal::ONE
        };
        let mut value = (met / step).round_dp_with_strategy(
            0,
            if met > unmet {
                rust_decimal::RoundingStrategy::ToPositiveInfinity
            } else {
                rust_decimal::RoundingStrategy::ToNegativeInfinity
            },
        ) * step;
        let mut found = self.met(value)?.filter(|(m, _)| *m);
        if found.is_none() {
            // Not monotone here, or rounding left the range: report the bisection's ends.
            let output = self.met(met)?.map(|o| o.1).unwrap_or_default();
            let beside = self.met(unmet)?.map(|o| o.1).unwrap_or_default();
            return Ok(self.found(met, output, unmet, beside, (met - unmet).abs()));
        }
        for _ in 0..3 {
            let neighbour = value - away * step;
            match self.met(neighbour)? {
                Some((true, output)) => {
                    value = neighbour;
                    found = Some((true, output));
                }
                other => {
                    let beside = other.map(|o| o.1).unwrap_or_default();
                    let output = found.map(|f| f.1).unwrap_or_default();
                    return Ok(self.found(value, output, neighbour, beside, step));
                }
            }
        }
        let output = found.map(|f| f.1).unwrap_or_default();
        let beside = self.met(unmet)?.map(|o| o.1).unwrap_or_default();
        Ok(self.found(value, output, unmet, beside, (value - unmet).abs()))
    }

    fn found(
        &self,
        value: Decimal,
        at: Decimal,
        neighbour: Decimal,
        beside: Decimal,
        step: Decimal,
    ) -> Solution {
        Solution::Found {
            value: value.normalize(),
            output_at_value: at,
            neighbour: neighbour.normalize(),
            output_at_neighbour: beside,
            step: step.normalize(),
            runs: self.runs,
        }
    }

    fn not_found(&self) -> Solution {
        let by_x = |a: &&(Decimal, Decimal), b: &&(Decimal, Decimal)| a.0.cmp(&b.0);
        let by_output = |a: &&(Decimal, Decimal), b: &&(Decimal, Decimal)| a.1.cmp(&b.1);
        let lowest = self.seen.iter().min_by(by_x).copied().unwrap_or_default();
        let highest = self.seen.iter().max_by(by_x).copied().unwrap_or_default();
        Solution::NotFound {
            searched: (lowest.0.normalize(), highest.0.normalize()),
            least: self
                .seen
                .iter()
                .min_by(by_output)
                .copied()
                .unwrap_or_default(),
            greatest: self
                .seen
                .iter()
                .max_by(by_output)
                .copied()
                .unwrap_or_default(),
            runs: self.runs,
        }
    }
}
