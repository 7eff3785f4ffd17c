//! The named figures of a case, row by row, generic over the number type: evaluated with exact
//! decimals they are what `run` reports; evaluated while tracing they are the registers the
//! Model sheet's formulas compute.

use crate::model::Outcome;
use crate::model::spec::{CostRule, Model};
use crate::number::Num;

/// What a row counts, which decides its number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Users,
    Money,
    /// A discount factor.
    Factor,
}

/// One row of the Model sheet: a figure per year and, for money, its horizon total.
#[derive(Debug, Clone)]
pub struct Figure<N> {
    pub section: &'static str,
    pub label: String,
    pub unit: Unit,
    pub years: Vec<N>,
    pub horizon: Option<N>,
}

/// Which figure rows the Summary sheet and the payback formula read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Key {
    pub opening_users: usize,
    pub installs: usize,
    pub closing_users: usize,
    pub total_benefit: usize,
    pub total_cost: usize,
    pub total_offsets: usize,
    pub net: usize,
    pub cumulative_net: usize,
    pub discounted_net: usize,
}

/// Every named figure of `outcome`, in the Model sheet's order, with the horizon totals
/// summed year by year in `N` (and the NPV as the engine sums it).
pub fn figures<N: Num>(model: &Model, outcome: &Outcome<N>) -> (Vec<Figure<N>>, Key) {
    let mut rows = Vec::new();
    let mut key = Key::default();
    let years = model.years;
    let money = |section, label: String, values: Vec<N>| {
        let total = values.iter().fold(N::zero(), |acc, v| acc + *v);
        Figure {
            section,
            label,
            unit: Unit::Money,
            years: values,
            horizon: Some(total),
        }
    };
    let users = |label: String, values: Vec<N>| Figure {
        section: "Users",
        label,
        unit: Unit::Users,
        years: values,
        horizon: None,
    };
    let each = |f: &dyn Fn(usize) -> N| (0..years).map(f).collect::<Vec<N>>();
    key.opening_users = rows.len();
    rows.push(users(
        "Opening users".into(),
        each(&|t| outcome.users[t].opening),
    ));
    key.installs = rows.len();
    rows.push(users(
        "Installs".into(),
        each(&|t| outcome.users[t].installs),
    ));
    rows.push(users("Leavers".into(), each(&|t| outcome.users[t].leavers)));
    key.closing_users = rows.len();
    rows.push(users(
        "Closing users".into(),
        each(&|t| outcome.users[t].closing),
    ));
    if model.users.cohorts.len() > 1 {
        for (spec, cohort) in model.users.cohorts.iter().zip(&outcome.cohorts.cohorts) {
            let y = |f: fn(&crate::model::users::UserYear<N>) -> N| {
                cohort.years.iter().map(f).collect::<Vec<N>>()
            };
            rows.push(users(format!("{}: opening", spec.name), y(|u| u.opening)));
            rows.push(users(format!("{}: installs", spec.name), y(|u| u.installs)));
            rows.push(users(format!("{}: leavers", spec.name), y(|u| u.leavers)));
            rows.push(users(format!("{}: closing", spec.name), y(|u| u.closing)));
        }
    }
    rows.push(users(
        "Users generating benefit".into(),
        each(&|t| outcome.benefiting_users[t]),
    ));
    for (line, values) in model.benefits.iter().zip(&outcome.benefits) {
        if !values.gross.is_empty() {
            rows.push(money(
                "Benefits",
                format!("{} (gross)", line.label),
                values.gross.clone(),
            ));
        }
        rows.push(money(
            "Benefits",
            format!("{} [{}]", line.label, line.party.key()),
            values.values.clone(),
        ));
    }
    key.total_benefit = rows.len();
    rows.push(money(
        "Benefits",
        "Total benefit to the council".into(),
        each(&|t| outcome.totals[t].benefit),
    ));
    for (line, values) in model.costs.iter().zip(&outcome.costs) {
        if let CostRule::Staffing(posts) = &line.rule {
            for (post, part) in posts.iter().zip(&values.parts) {
                rows.push(money(
                    "Costs",
                    format!("{}: {}", line.label, post.title),
                    part.clone(),
                ));
            }
        }
        rows.push(money(
            "Costs",
            format!("{} [{}]", line.label, line.party.key()),
            values.values.clone(),
        ));
    }
    key.total_cost = rows.len();
    rows.push(money(
        "Costs",
        "Total cost to the council".into(),
        each(&|t| outcome.totals[t].cost),
    ));
    for (line, values) in model.offsets.iter().zip(&outcome.offsets) {
        rows.push(money("Offsets", line.label.clone(), values.values.clone()));
    }
    key.total_offsets = rows.len();
    rows.push(money(
        "Offsets",
        "Total offsets".into(),
        each(&|t| outcome.totals[t].offsets),
    ));
    key.net = rows.len();
    rows.push(money(
        "Net",
        "Net benefit".into(),
        each(&|t| outcome.totals[t].net),
    ));
    key.cumulative_net = rows.len();
    let mut cumulative = money(
        "Net",
        "Cumulative net benefit".into(),
        each(&|t| outcome.totals[t].cumulative_net),
    );
    cumulative.horizon = None;
    rows.push(cumulative);
    rows.push(Figure {
        section: "Net",
        label: "Discount factor".into(),
        unit: Unit::Factor,
        years: each(&|t| outcome.totals[t].discount_factor),
        horizon: None,
    });
    key.discounted_net = rows.len();
    let mut discounted = money(
        "Net",
        "Discounted net benefit (horizon: NPV)".into(),
        each(&|t| outcome.totals[t].discounted_net),
    );
    discounted.horizon = Some(outcome.npv());
    rows.push(discounted);
    (rows, key)
}
