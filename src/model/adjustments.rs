//! The appraisal's corrections to a line's gross amount (HM Treasury Green Book, the GMCA
//! cost-benefit model, SROI): of the benefit a line's kind computes, how much TEC alone
//! causes; and, on a cost line, its own optimism-bias uplift.
//!
//! Each factor is optional and a slot only when the file gives it, so a line without
//! adjustments is computed with exactly the operations it was before they existed.

use super::spec::Slot;
use crate::number::Num;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Adjustments {
    /// Share of the outcome that would have happened without TEC.
    pub deadweight: Option<Slot>,
    /// Share that merely moves the cost elsewhere.
    pub displacement: Option<Slot>,
    /// Share of the outcome due to TEC rather than other services (1 when not given).
    pub attribution: Option<Slot>,
    /// On a benefit, a haircut; on a cost, an uplift in place of `appraisal.optimism_bias`.
    pub optimism_bias: Option<Slot>,
}

impl Adjustments {
    pub fn is_empty(&self) -> bool {
        *self == Adjustments::default()
    }

    /// What a benefit's gross amount is multiplied by: (1 - deadweight) x (1 - displacement)
    /// x attribution x (1 - optimism bias), of the factors given; `None` when none is.
    pub fn benefit_factor<N: Num>(&self, params: &[N]) -> Option<N> {
        let less = |slot: Option<Slot>| slot.map(|s| N::one() - params[s]);
        [
            less(self.deadweight),
            less(self.displacement),
            self.attribution.map(|s| params[s]),
            less(self.optimism_bias),
        ]
        .into_iter()
        .flatten()
        .reduce(|a, b| a * b)
    }

    /// A cost line's optimism-bias uplift: its own when given, else the appraisal's.
    pub fn cost_uplift<N: Num>(&self, params: &[N], appraisal: N) -> N {
        match self.optimism_bias {
            Some(slot) => N::one() + params[slot],
            None => appraisal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_multiply_and_absent_ones_are_skipped() {
        let params = [0.2, 0.1, 0.5, 0.25];
        let all = Adjustments {
            deadweight: Some(0),
            displacement: Some(1),
            attribution: Some(2),
            optimism_bias: Some(3),
        };
        // 0.8 x 0.9 x 0.5 x 0.75 = 0.27
        let f: f64 = all.benefit_factor(&params).unwrap();
        assert!((f - 0.27).abs() < 1e-12);
        assert_eq!(Adjustments::default().benefit_factor(&params), None::<f64>);
        let only_attribution = Adjustments {
            attribution: Some(2),
            ..Adjustments::default()
        };
        assert_eq!(only_attribution.benefit_factor(&params), Some(0.5));
        assert_eq!(only_attribution.cost_uplift(&params, 1.1), 1.1);
        let own = Adjustments {
            optimism_bias: Some(3),
            ..Adjustments::default()
        };
        assert_eq!(own.cost_uplift(&params, 1.1), 1.25);
    }
}
