//! Property tests of the engine's invariants over random scenarios of every kind of line:
//! the table adds up to the penny, net and cumulative net follow from it, more hours avoided
//! never lower benefit, money scales with its inputs, `extends` alone changes nothing, and
//! adjustments never raise a benefit (the adjusted amount is never above the gross).
//! (`tests.rs` beside this holds the hand-worked cases.)

use crate::model::vocabulary::Party;
use crate::report::{LineAmount, Report, YearReport};
use crate::scenario::from_yaml;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A random scenario: a horizon, users, and any mix of benefit, cost and offset lines.
/// Money is in pence and shares in percent, so that every input is an exact decimal.
#[derive(Debug, Clone)]
struct Case {
    years: usize,
    rounding: &'static str,
    timing: &'static str,
    opening: u32,
    installs: Vec<u32>,
    attrition: u32,
    optimism: u32,
    discount: u32,
    care: Option<Care>,
    benefit_amounts: Option<Vec<u32>>,
    cost_amounts: Option<Vec<u32>>,
    one_off: Option<(usize, u32)>,
    per_install: Option<u32>,
    per_user: Option<(u32, &'static str)>,
    staffing: Vec<(u32, u32, Vec<u32>)>,
    offset_amounts: Option<Vec<u32>>,
    user_charge: Option<(u32, u32)>,
    /// Benefit lines of the kinds beyond care hours and amounts.
    kinds: Vec<Kind>,
    /// Adjustments on the `fixed` amounts line.
    fixed_adjust: Adjust,
}

/// A `per_user`, `package_reduction` or `avoided_events` line (`kind` 0, 1, 2): its money
/// input in pence, its two shares in percent, its period, who gains it and its adjustments.
#[derive(Debug, Clone)]
struct Kind {
    kind: usize,
    pence: u32,
    first: u32,
    second: u32,
    per: &'static str,
    all: bool,
    nhs: bool,
    adjust: Adjust,
}

/// Deadweight, displacement, attribution and optimism bias, in percent, each maybe given.
#[derive(Debug, Clone)]
struct Adjust([Option<u32>; 4]);

impl Adjust {
    fn yaml(&self) -> String {
        ["deadweight", "displacement", "attribution", "optimism_bias"]
            .iter()
            .zip(self.0)
            .filter_map(|(key, v)| {
                v.map(|v| format!(", {key}: {{ value: {}, source: t }}", percent(v)))
            })
            .collect()
    }
}

impl Kind {
    fn yaml(&self, i: usize, k: Decimal, adjust: bool) -> String {
        let money = pounds(self.pence, k);
        let (first, second) = (percent(self.first), percent(self.second));
        let body = match self.kind {
            0 => format!(
                "kind: per_user, amount: {{ value: {money}, source: t }}, per: {}, share: {{ value: {first}, source: t }}",
                self.per
            ),
            1 => format!(
                "kind: package_reduction, package_cost: {{ value: {money}, source: t }}, per: {}, reduction: {{ value: {first}, source: t }}, share: {{ value: {second}, source: t }}",
                self.per
            ),
            _ => format!(
                "kind: avoided_events, rate: {{ value: {first}, source: t }}, avoided: {{ value: {second}, source: t }}, unit_cost: {{ value: {money}, source: t }}"
            ),
        };
        format!(
            "  k{i}: {{ basket: cashable, {body}, counts: {}{}{} }}\n",
            if self.all { "all" } else { "programme" },
            if self.nhs { ", accrues_to: nhs" } else { "" },
            if adjust {
                self.adjust.yaml()
            } else {
                String::new()
            },
        )
    }
}

#[derive(Debug, Clone)]
struct Care {
    share: u32,
    /// Tenths of an hour a week.
    hours: u32,
    hourly_pence: u32,
    realisation: u32,
    all: bool,
    duration: Option<u32>,
}

fn pounds(pence: u32, k: Decimal) -> Decimal {
    Decimal::new(pence as i64, 2) * k
}

fn percent(value: u32) -> Decimal {
    Decimal::new(value as i64, 2)
}

fn list(values: &[u32], f: impl Fn(u32) -> Decimal) -> String {
    let items: Vec<String> = values.iter().map(|v| f(*v).to_string()).collect();
    format!("{{ per_year: [{}], source: t }}", items.join(", "))
}

impl Case {
    /// The scenario's YAML with every money input times `k` and `extra_hours` tenths of an
    /// hour a week added to the care-hours line.
    fn yaml(&self, k: Decimal, extra_hours: u32) -> String {
        self.yaml_with(k, extra_hours, true)
    }

    /// As [`Case::yaml`], with the benefit lines' adjustments or without them.
    fn yaml_with(&self, k: Decimal, extra_hours: u32, adjust: bool) -> String {
        let mut y = format!(
            "horizon: {{ first_year: 2021/22, years: {} }}\n\
             appraisal: {{ rounding: {}, optimism_bias: {{ value: {}, source: t }}, discount_rate: {{ value: {}, source: t }} }}\n\
             users:\n  opening: {{ value: {}, source: t }}\n  installs: {}\n  attrition: {{ value: {}, source: t }}\n  install_timing: {}\n",
            self.years,
            self.rounding,
            percent(self.optimism),
            percent(self.discount),
            self.opening,
            list(&self.installs, Decimal::from),
            percent(self.attrition),
            self.timing,
        );
        y.push_str("benefits:\n");
        if let Some(c) = &self.care {
            y.push_str(&format!(
                "  hours: {{ basket: cost_avoidance, kind: care_hours, counts: {}, share: {{ value: {}, source: t }}, hours_per_week: {{ value: {}, source: t }}, hourly_cost: {{ value: {}, source: t }}, realisation: {{ value: {}, source: t }}{} }}\n",
                if c.all { "all" } else { "programme" },
                percent(c.share),
                Decimal::new((c.hours + extra_hours) as i64, 1),
                pounds(c.hourly_pence, k),
                percent(c.realisation),
                c.duration
                    .map(|d| format!(", duration_years: {{ value: {d}, source: t }}"))
                    .unwrap_or_default(),
            ));
        }
        if let Some(a) = &self.benefit_amounts {
            y.push_str(&format!(
                "  fixed: {{ basket: cashable, kind: amounts, amounts: {}{} }}\n",
                list(a, |p| pounds(p, k)),
                if adjust {
                    self.fixed_adjust.yaml()
                } else {
                    String::new()
                },
            ));
        }
        for (i, kind) in self.kinds.iter().enumerate() {
            y.push_str(&kind.yaml(i, k, adjust));
        }
        y.push_str(
            "  floor: { basket: prevention, kind: amounts, amounts: { each_year: 0, source: t } }\n",
        );
        y.push_str("costs:\n");
        y.push_str("  zero: { kind: amounts, amounts: { each_year: 0, source: t } }\n");
        if let Some(a) = &self.cost_amounts {
            y.push_str(&format!(
                "  contract: {{ kind: amounts, amounts: {} }}\n",
                list(a, |p| pounds(p, k))
            ));
        }
        if let Some((year, amount)) = self.one_off {
            y.push_str(&format!(
                "  setup: {{ kind: one_off, year: {}, amount: {{ value: {}, source: t }} }}\n",
                crate::fy::FinancialYear(2021 + year as i32),
                pounds(amount, k)
            ));
        }
        if let Some(unit) = self.per_install {
            y.push_str(&format!(
                "  kit: {{ kind: per_install, unit_cost: {{ value: {}, source: t }} }}\n",
                pounds(unit, k)
            ));
        }
        if let Some((unit, per)) = self.per_user {
            y.push_str(&format!(
                "  monitoring: {{ kind: per_user, per: {per}, counts: programme, unit_cost: {{ value: {}, source: t }} }}\n",
                pounds(unit, k)
            ));
        }
        if !self.staffing.is_empty() {
            y.push_str("  team:\n    kind: staffing\n    posts:\n");
            for (i, (count, salary, phasing)) in self.staffing.iter().enumerate() {
                y.push_str(&format!(
                    "      p{i}: {{ count: {{ value: {count}, source: t }}, salary: {{ value: {}, source: t }}, phasing: {} }}\n",
                    pounds(*salary, k),
                    list(phasing, percent)
                ));
            }
        }
        y.push_str("offsets:\n");
        y.push_str("  none: { kind: amounts, amounts: { each_year: 0, source: t } }\n");
        if let Some(a) = &self.offset_amounts {
            y.push_str(&format!(
                "  grant: {{ kind: amounts, amounts: {} }}\n",
                list(a, |p| pounds(p, k))
            ));
        }
        if let Some((weekly, share)) = self.user_charge {
            y.push_str(&format!(
                "  charge: {{ kind: user_charge, counts: all, weekly_charge: {{ value: {}, source: t }}, chargeable_share: {{ value: {}, source: t }} }}\n",
                pounds(weekly, k),
                percent(share)
            ));
        }
        y
    }

    fn report(&self, k: Decimal, extra_hours: u32) -> Report {
        self.report_with(k, extra_hours, true)
    }

    fn report_with(&self, k: Decimal, extra_hours: u32, adjust: bool) -> Report {
        let text = self.yaml_with(k, extra_hours, adjust);
        let scenario = from_yaml(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        Report::build(&scenario).expect("no overflow at these magnitudes")
    }
}

fn per_year(years: usize, max: u32) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0..max, years)
}

fn adjust() -> impl Strategy<Value = Adjust> {
    prop::array::uniform4(prop::option::of(0u32..=100)).prop_map(Adjust)
}

fn kinds() -> impl Strategy<Value = Vec<Kind>> {
    let kind = (
        0usize..3,
        0u32..500_000,
        0u32..=100,
        0u32..=100,
        prop::sample::select(vec!["week", "month", "year"]),
        any::<bool>(),
        any::<bool>(),
        adjust(),
    )
        .prop_map(|(kind, pence, first, second, per, all, nhs, adjust)| Kind {
            kind,
            pence,
            first,
            second,
            per,
            all,
            nhs,
            adjust,
        });
    prop::collection::vec(kind, 0..4)
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=6).prop_flat_map(|years| {
        let care = (
            0u32..=100,
            0u32..40,
            0u32..4000,
            0u32..=100,
            any::<bool>(),
            prop::option::of(1u32..5),
        )
            .prop_map(
                |(share, hours, hourly_pence, realisation, all, duration)| Care {
                    share,
                    hours,
                    hourly_pence,
                    realisation,
                    all,
                    duration,
                },
            );
        let staffing =
            prop::collection::vec((0u32..4, 0u32..6_000_000, per_year(years, 101)), 0..3);
        (
            (
                prop::sample::select(vec!["pound", "penny", "none"]),
                prop::sample::select(vec!["start", "middle", "end"]),
                0u32..5000,
                per_year(years, 2000),
                0u32..=60,
                0u32..40,
                0u32..10,
            ),
            (
                prop::option::of(care),
                prop::option::of(per_year(years, 100_000_000)),
                prop::option::of(per_year(years, 100_000_000)),
                prop::option::of((0..years, 0u32..50_000_000)),
                prop::option::of(0u32..100_000),
                prop::option::of((
                    0u32..10_000,
                    prop::sample::select(vec!["week", "month", "year"]),
                )),
                staffing,
                prop::option::of(per_year(years, 100_000_000)),
                prop::option::of((0u32..5000, 0u32..=100)),
            ),
            (kinds(), adjust()),
        )
            .prop_map(
                move |(
                    (rounding, timing, opening, installs, attrition, optimism, discount),
                    (
                        care,
                        benefit_amounts,
                        cost_amounts,
                        one_off,
                        per_install,
                        per_user,
                        staffing,
                        offset_amounts,
                        user_charge,
                    ),
                    (kinds, fixed_adjust),
                )| Case {
                    years,
                    rounding,
                    timing,
                    opening,
                    installs,
                    attrition,
                    optimism,
                    discount,
                    care,
                    benefit_amounts,
                    cost_amounts,
                    one_off,
                    per_install,
                    per_user,
                    staffing,
                    offset_amounts,
                    user_charge,
                    kinds,
                    fixed_adjust,
                },
            )
    })
}

/// The lines that count in the council's totals (benefits to the NHS do not).
fn council(lines: &[LineAmount]) -> Vec<LineAmount> {
    lines
        .iter()
        .filter(|l| l.accrues_to.is_none_or(|p| p == Party::Council))
        .cloned()
        .collect()
}

fn sum(lines: &[LineAmount]) -> Decimal {
    lines.iter().map(|l| l.amount).sum()
}

/// Every money figure of a year, in a fixed order, with how many rounded amounts it adds up.
fn money(year: &YearReport) -> Vec<(Decimal, usize)> {
    let mut all = Vec::new();
    let mut lines = |list: &[LineAmount]| {
        let mut count = 0;
        for line in list {
            let parts = line.parts.len().max(1);
            all.push((line.amount, parts));
            for part in &line.parts {
                all.push((part.amount, 1));
            }
            count += parts;
        }
        count
    };
    let b = lines(&year.benefit_lines);
    let c = lines(&year.cost_lines);
    let o = lines(&year.offset_lines);
    all.extend([
        (year.total_benefit, b),
        (year.total_cost, c),
        (year.offsets, o),
        (year.net, b + c + o),
    ]);
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn tables_add_up_to_the_penny(case in case()) {
        let r = case.report(Decimal::ONE, 0);
        let mut cumulative = Decimal::ZERO;
        for y in &r.years {
            prop_assert_eq!(y.net, y.total_benefit - y.total_cost + y.offsets);
            prop_assert_eq!(y.total_benefit, sum(&council(&y.benefit_lines)));
            prop_assert_eq!(y.total_cost, sum(&y.cost_lines));
            prop_assert_eq!(y.offsets, sum(&y.offset_lines));
            prop_assert_eq!(y.total_benefit, y.benefit_by_basket.iter().map(|b| b.amount).sum::<Decimal>());
            for line in y.cost_lines.iter().filter(|l| !l.parts.is_empty()) {
                prop_assert_eq!(line.amount, sum(&line.parts));
            }
            cumulative += y.net;
            prop_assert_eq!(y.cumulative_net, cumulative);
            prop_assert!(y.opening_users >= Decimal::ZERO && y.closing_users >= Decimal::ZERO);
        }
        let total = |f: fn(&YearReport) -> Decimal| r.years.iter().map(f).sum::<Decimal>();
        prop_assert_eq!(r.summary.total_benefit, total(|y| y.total_benefit));
        prop_assert_eq!(r.summary.total_cost, total(|y| y.total_cost));
        prop_assert_eq!(r.summary.total_offsets, total(|y| y.offsets));
        prop_assert_eq!(r.summary.npv, total(|y| y.discounted_net));
        prop_assert_eq!(r.summary.cumulative_net, cumulative);
    }

    #[test]
    fn more_hours_avoided_never_lower_benefit(case in case(), extra in 1u32..30) {
        prop_assume!(case.care.is_some());
        let lower = case.report(Decimal::ONE, 0);
        let higher = case.report(Decimal::ONE, extra);
        for (l, h) in lower.years.iter().zip(&higher.years) {
            prop_assert!(h.total_benefit >= l.total_benefit, "{} < {}", h.total_benefit, l.total_benefit);
            prop_assert_eq!(h.total_cost, l.total_cost);
        }
    }

    #[test]
    fn money_scales_with_its_inputs(case in case(), k in 2u32..40) {
        let k = Decimal::from(k);
        let one = case.report(Decimal::ONE, 0);
        let scaled = case.report(k, 0);
        // Half a unit of rounding per rounded amount, on each side.
        let unit = match case.rounding {
            "pound" => Some(Decimal::ONE),
            "penny" => Some(Decimal::new(1, 2)),
            _ => None,
        };
        for (a, b) in one.years.iter().zip(&scaled.years) {
            for ((x, count), (kx, _)) in money(a).into_iter().zip(money(b)) {
                match unit {
                    // Without rounding, exact up to the money type's 28 to 29 significant
                    // digits: a product's last digit may round differently.
                    None => {
                        let slack = (x * k).abs() * Decimal::new(1, 26) + Decimal::new(1, 20);
                        prop_assert!((kx - x * k).abs() <= slack, "{} vs {} x {}", kx, x, k);
                    }
                    Some(unit) => {
                        let slack = unit * Decimal::from(count as u64) * (k + Decimal::ONE) / Decimal::TWO;
                        prop_assert!((kx - x * k).abs() <= slack, "{} vs {} x {}", kx, x, k);
                    }
                }
            }
            if unit.is_none() {
                // Discounting divides: equal to well within a millionth of a penny.
                prop_assert!((b.discounted_net - a.discounted_net * k).abs() < Decimal::new(1, 8));
            }
        }
    }

    #[test]
    fn adjustments_never_raise_a_benefit(case in case()) {
        let adjusted = case.report_with(Decimal::ONE, 0, true);
        let gross = case.report_with(Decimal::ONE, 0, false);
        for (a, g) in adjusted.years.iter().zip(&gross.years) {
            for (line, unadjusted) in a.benefit_lines.iter().zip(&g.benefit_lines) {
                // The gross kept beside an adjusted line is the line without its adjustments.
                let kept = line.gross.unwrap_or(line.amount);
                prop_assert_eq!(kept, unadjusted.amount, "{}", &line.name);
                prop_assert!(line.amount <= kept, "{}: {} > {}", line.name, line.amount, kept);
                prop_assert!(line.amount >= Decimal::ZERO);
            }
            prop_assert!(a.total_benefit <= g.total_benefit);
            prop_assert!(a.public_sector_net <= g.public_sector_net);
            prop_assert_eq!(a.total_cost, g.total_cost);
        }
        prop_assert!(adjusted.summary.cumulative_net <= gross.summary.cumulative_net);
    }

    #[test]
    fn extends_without_changes_gives_the_same_output(case in case()) {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("parent.yaml");
        let child = dir.path().join("child.yaml");
        std::fs::write(&parent, case.yaml(Decimal::ONE, 0)).unwrap();
        std::fs::write(&child, "extends: parent.yaml\n").unwrap();
        let of = |path: &std::path::Path| Report::build(&crate::scenario::load(path).unwrap()).unwrap();
        let (p, c) = (of(&parent), of(&child));
        prop_assert_eq!(p.years, c.years);
        prop_assert_eq!(p.summary, c.summary);
        prop_assert_eq!(p.discount_rate, c.discount_rate);
    }
}

/// Time profiles (issue 16): a random scenario of two cohorts (any timing, attrition, start
/// month) with a benefit line that has a lag, a duration and drop-off; the engine evaluated
/// exactly with one time input moved at a time.
mod profiles {
    use super::*;
    use crate::model::evaluate;
    use crate::number::Exact;
    use crate::scenario::Scenario;

    #[derive(Debug, Clone)]
    struct Profiled {
        timings: [&'static str; 2],
        attrition: [u32; 2],
        installs: [Vec<u32>; 2],
        start: Option<u32>,
        all: bool,
        drop_off: u32,
        rounding: &'static str,
    }

    impl Profiled {
        fn scenario(&self) -> Scenario {
            let years = self.installs[0].len();
            let start = self.start.map_or(String::new(), |m| {
                let year = crate::fy::FinancialYear(2021 + (m / 12) as i32);
                let month = crate::track::period::Month::of_year(year, m % 12);
                format!("    start: {{ month: {month}, source: t }}\n")
            });
            let mut installs = self.installs.clone();
            if let Some(m) = self.start {
                // No installs in the years before the start.
                installs[1]
                    .iter_mut()
                    .take((m / 12) as usize)
                    .for_each(|i| *i = 0);
            }
            let cohort = |c: usize, extra: &str| {
                format!(
                    "  c{c}:\n    opening: {{ value: 50, source: t }}\n    installs: {}\n    attrition: {{ value: {}, source: t }}\n    install_timing: {}\n{extra}",
                    list(&installs[c], Decimal::from),
                    percent(self.attrition[c]),
                    self.timings[c],
                )
            };
            let text = format!(
                "horizon: {{ first_year: 2021/22, years: {years} }}\n\
                 appraisal: {{ rounding: {} }}\n\
                 cohorts:\n{}{}\
                 benefits:\n  hours:\n    basket: cost_avoidance\n    kind: care_hours\n    counts: {}\n    share: {{ value: 0.7, source: t }}\n    hours_per_week: {{ value: 2.5, source: t }}\n    hourly_cost: {{ value: 19.37, source: t }}\n    lag_months: {{ value: 0, source: t }}\n    duration_years: {{ value: 1, source: t }}\n    drop_off: {{ value: {}, source: t }}\n",
                self.rounding,
                cohort(0, ""),
                cohort(1, &start),
                if self.all { "all" } else { "programme" },
                percent(self.drop_off),
            );
            from_yaml(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
        }
    }

    /// The benefit line's amount each year with `lag_months` and `duration_years` set.
    fn benefit(s: &Scenario, lag: Decimal, duration: Decimal) -> Vec<Decimal> {
        let mut params = s.params.values.clone();
        params[s.params.slots_of("benefits.hours.lag_months")[0]] = lag;
        params[s.params.slots_of("benefits.hours.duration_years")[0]] = duration;
        let params: Vec<Exact> = params.into_iter().map(Exact::new).collect();
        let outcome = evaluate(&s.model, &params);
        outcome.benefits[0]
            .values
            .iter()
            .map(|v| v.get().expect("no overflow"))
            .collect()
    }

    fn profiled() -> impl Strategy<Value = Profiled> {
        (1usize..=6).prop_flat_map(|years| {
            let timing = || prop::sample::select(vec!["start", "middle", "end"]);
            (
                [timing(), timing()],
                [0u32..=60, 0u32..=60],
                [per_year(years, 500), per_year(years, 500)],
                prop::option::of(0..12 * years as u32),
                any::<bool>(),
                0u32..=100,
                prop::sample::select(vec!["pound", "none"]),
            )
                .prop_map(
                    |(timings, attrition, installs, start, all, drop_off, rounding)| Profiled {
                        timings,
                        attrition,
                        installs,
                        start,
                        all,
                        drop_off,
                        rounding,
                    },
                )
        })
    }

    /// Tenths, as an exact decimal.
    fn tenths(value: u32) -> Decimal {
        Decimal::new(value as i64, 1)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn a_longer_lag_never_raises_a_benefit(
            case in profiled(), lag in 0u32..600, more in 1u32..300, duration in 1u32..80,
        ) {
            let s = case.scenario();
            let (lag, duration) = (tenths(lag), tenths(duration));
            let shorter = benefit(&s, lag / Decimal::TEN, duration);
            let longer = benefit(&s, (lag + tenths(more)) / Decimal::TEN, duration);
            for (t, (a, b)) in shorter.iter().zip(&longer).enumerate() {
                prop_assert!(b <= a, "year {}: lag {} gives {} above {}", t, lag, b, a);
            }
        }

        #[test]
        fn a_shorter_duration_never_raises_a_benefit(
            case in profiled(), lag in 0u32..600, duration in 1u32..80, more in 1u32..40,
        ) {
            let s = case.scenario();
            let lag = tenths(lag) / Decimal::TEN;
            let shorter = benefit(&s, lag, tenths(duration));
            let longer = benefit(&s, lag, tenths(duration + more));
            for (t, (a, b)) in shorter.iter().zip(&longer).enumerate() {
                prop_assert!(a <= b, "year {}: {} above {}", t, a, b);
            }
        }
    }
}
