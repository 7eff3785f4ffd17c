//! The business-case table as rows of text cells, shared by the table, Markdown and CSV forms.

use crate::model::vocabulary::{Basket, Party};
use crate::report::{LineAmount, Report, YearReport};
use rust_decimal::Decimal;

/// Adds a row: section, label, the figure of a year, whether it has a total.
type PushRow<'a> = dyn FnMut(&'static str, &str, &dyn Fn(&YearReport) -> Decimal, bool) + 'a;

/// One row: a section, a label, a value per year and a whole-horizon total.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub section: &'static str,
    pub label: String,
    pub values: Vec<Decimal>,
    /// `None` where a total makes no sense (opening users, cumulative figures).
    pub total: Option<Decimal>,
    /// Shown with decimals (the discount factor) rather than as whole pounds.
    pub fractional: bool,
}

/// The table of a report: header labels and rows, then the summary.
#[derive(Debug, Clone)]
pub struct Grid {
    pub years: Vec<String>,
    pub rows: Vec<Row>,
    pub summary: Vec<(String, String)>,
}

impl Grid {
    pub fn from_report(report: &Report) -> Grid {
        let years = &report.years;
        let mut rows = Vec::new();
        let mut push = |section, label: &str, get: &dyn Fn(&YearReport) -> Decimal, total: bool| {
            let values: Vec<Decimal> = years.iter().map(get).collect();
            let total = total.then(|| values.iter().copied().sum());
            rows.push(Row {
                section,
                label: label.to_string(),
                values,
                total,
                fractional: false,
            });
        };
        push("users", "Opening TEC users", &|y| y.opening_users, false);
        push("users", "Installs", &|y| y.installs, true);
        push("users", "Leavers", &|y| y.leavers, true);
        push("users", "Closing TEC users", &|y| y.closing_users, false);
        // With several cohorts, each one's installs and closing users under the totals.
        if let Some(first) = years.first() {
            for (c, cohort) in first.cohorts.iter().enumerate() {
                let name = cohort.cohort.replace('_', " ");
                push(
                    "users",
                    &format!("  Installs: {name}"),
                    &|y| y.cohorts[c].installs,
                    true,
                );
                push(
                    "users",
                    &format!("  Closing users: {name}"),
                    &|y| y.cohorts[c].closing_users,
                    false,
                );
            }
        }
        push(
            "users",
            "Users generating benefit",
            &|y| y.benefiting_users,
            false,
        );
        // Lines in a section: those `keep` picks, money in pounds, with a staffing line's posts.
        let line_rows = |push: &mut PushRow,
                         section: &'static str,
                         lines: fn(&YearReport) -> &Vec<LineAmount>,
                         keep: &dyn Fn(&LineAmount) -> bool,
                         label: &dyn Fn(&LineAmount) -> String| {
            let Some(first) = years.first() else { return };
            for (i, line) in lines(first).iter().enumerate().filter(|(_, l)| keep(l)) {
                push(section, &label(line), &|y| lines(y)[i].amount, true);
                for (j, part) in line.parts.iter().enumerate() {
                    push(
                        section,
                        &format!("  {} (£)", part.label),
                        &|y| lines(y)[i].parts[j].amount,
                        true,
                    );
                }
            }
        };
        let pounds = |line: &LineAmount| format!("{} (£)", line.label);
        let council = |party: Option<Party>| party.is_none_or(|p| p == Party::Council);
        line_rows(
            &mut push,
            "benefits",
            benefits,
            &|l| council(l.accrues_to),
            &pounds,
        );
        for (k, basket) in Basket::ALL.iter().enumerate() {
            push(
                "benefits",
                &format!("Basket: {} (£)", basket.label()),
                &|y| y.benefit_by_basket[k].amount,
                true,
            );
        }
        let first = years.first();
        let others = first.is_some_and(|y| {
            y.benefit_lines.iter().any(|l| !council(l.accrues_to))
                || y.cost_lines.iter().any(|l| !council(l.paid_by))
        });
        let total_benefit = if others {
            "Total benefit to the council (£)"
        } else {
            "Total benefit (£)"
        };
        push("benefits", total_benefit, &|y| y.total_benefit, true);
        line_rows(&mut push, "costs", costs, &|l| council(l.paid_by), &pounds);
        let total_cost = if others {
            "Total cost to the council (£)"
        } else {
            "Total cost (£)"
        };
        push("costs", total_cost, &|y| y.total_cost, true);
        line_rows(
            &mut push,
            "offsets",
            |y| &y.offset_lines,
            &|_| true,
            &pounds,
        );
        push("offsets", "Total offsets (£)", &|y| y.offsets, true);
        push("net", "Net benefit (£)", &|y| y.net, true);
        push(
            "net",
            "Cumulative net benefit (£)",
            &|y| y.cumulative_net,
            false,
        );
        push("net", "Discount factor", &|y| y.discount_factor, false);
        push(
            "net",
            "Discounted net benefit (£)",
            &|y| y.discounted_net,
            true,
        );
        // The gross of each benefit line with adjustments, beside the table rather than in it:
        // the lines above are what count.
        if let Some(first) = first {
            for (i, line) in first.benefit_lines.iter().enumerate() {
                if line.gross.is_some() {
                    push(
                        "before adjustments",
                        &format!("{}, gross before adjustments (£)", line.label),
                        &|y| y.benefit_lines[i].gross.unwrap_or_default(),
                        true,
                    );
                }
            }
        }
        // What others gain and pay: outside the council's net, inside the public sector's.
        if others {
            line_rows(
                &mut push,
                "others",
                benefits,
                &|l| !council(l.accrues_to),
                &|l| format!("{} (£, to {})", l.label, party_of(l.accrues_to).label()),
            );
            line_rows(&mut push, "others", costs, &|l| !council(l.paid_by), &|l| {
                format!("{} (£, paid by {})", l.label, party_of(l.paid_by).label())
            });
            push(
                "others",
                "Public sector net benefit (£)",
                &|y| y.public_sector_net,
                true,
            );
        }
        if let Some(row) = rows.iter_mut().find(|r| r.label == "Discount factor") {
            row.fractional = true;
        }
        let s = &report.summary;
        let optional = |value: Option<Decimal>, shown: &dyn Fn(Decimal) -> String| {
            value.map(shown).unwrap_or_else(|| "n/a".into())
        };
        let mut summary = vec![
            (
                "Cumulative net benefit".to_string(),
                format_money(s.cumulative_net),
            ),
            (
                total_benefit.trim_end_matches(" (£)").to_string(),
                format_money(s.total_benefit),
            ),
            (
                total_cost.trim_end_matches(" (£)").to_string(),
                format_money(s.total_cost),
            ),
            ("Total offsets".to_string(), format_money(s.total_offsets)),
            (
                format!(
                    "NPV at {}%",
                    (report.discount_rate * Decimal::ONE_HUNDRED).normalize()
                ),
                format_money(s.npv),
            ),
            ("Payback year".to_string(), s.payback_shown()),
            (
                "Closing TEC users".to_string(),
                format_money(s.closing_users),
            ),
            (
                "Benefit per £1 of cost".to_string(),
                optional(s.return_per_pound, &|r| format!("£{}", pence(r))),
            ),
            (
                "Return on investment".to_string(),
                optional(s.roi, &|r| {
                    format!("{}%", (r * Decimal::ONE_HUNDRED).normalize())
                }),
            ),
        ];
        if others {
            for amount in s.benefit_by_beneficiary.iter().skip(1) {
                if !amount.amount.is_zero() {
                    summary.push((
                        format!("Benefit to {}", amount.party.label()),
                        format_money(amount.amount),
                    ));
                }
            }
            summary.push((
                "Public sector net benefit".to_string(),
                format_money(s.public_sector_net),
            ));
        }
        summary.extend([
            (
                "People supported".to_string(),
                format_money(s.people_supported),
            ),
            ("User-years".to_string(), format_money(s.user_years)),
            (
                "Cost per user-year".to_string(),
                optional(s.cost_per_user_year, &|v| format!("£{}", pence(v))),
            ),
            (
                "Benefit per user-year".to_string(),
                optional(s.benefit_per_user_year, &|v| format!("£{}", pence(v))),
            ),
        ]);
        Grid {
            years: years.iter().map(|y| y.year.clone()).collect(),
            rows,
            summary,
        }
    }

    /// Header and rows as display text (thousands separators).
    pub fn text_cells(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec![String::new()];
        header.extend(self.years.iter().cloned());
        header.push("Total".into());
        let body = self
            .rows
            .iter()
            .map(|row| {
                let show = |v: Decimal| {
                    if row.fractional {
                        format!("{v:.6}")
                    } else {
                        format_money(v)
                    }
                };
                let mut cells = vec![row.label.clone()];
                cells.extend(row.values.iter().map(|v| show(*v)));
                cells.push(row.total.map(show).unwrap_or_default());
                cells
            })
            .collect();
        (header, body)
    }
}

fn benefits(y: &YearReport) -> &Vec<LineAmount> {
    &y.benefit_lines
}

fn costs(y: &YearReport) -> &Vec<LineAmount> {
    &y.cost_lines
}

fn party_of(party: Option<Party>) -> Party {
    party.unwrap_or_default()
}

/// Pounds and pence with thousands separators, e.g. `1,482.00`.
fn pence(value: Decimal) -> String {
    let text = format!("{value:.2}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let whole = Decimal::from_str_exact(int).unwrap_or_default();
    let sign = if int.starts_with('-') && whole.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{frac}", format_money(whole))
}

/// Whole pounds with thousands separators, e.g. `-1,234,567`; pence shown when present.
pub fn format_money(value: Decimal) -> String {
    let negative = value.is_sign_negative() && !value.is_zero();
    let text = value.abs().normalize().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(frac) = frac {
        grouped.push('.');
        grouped.push_str(&frac);
    }
    if negative {
        format!("-{grouped}")
    } else {
        grouped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_has_thousands_separators() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(format_money(d("1234567")), "1,234,567");
        assert_eq!(format_money(d("-1000")), "-1,000");
        assert_eq!(format_money(d("999")), "999");
        assert_eq!(format_money(d("21906.50")), "21,906.5");
        assert_eq!(format_money(d("0")), "0");
        assert_eq!(pence(d("1482")), "1,482.00");
        assert_eq!(pence(d("2.5")), "2.50");
        assert_eq!(pence(d("-0.25")), "-0.25");
        assert_eq!(pence(d("-1234.5")), "-1,234.50");
    }
}
