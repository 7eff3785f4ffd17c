//! Turns a parsed scenario file into a [`Model`] and its [`Params`], checking what needs the
//! horizon (per-year list lengths, year labels) and which fields each kind of line needs.

use super::document::*;
use super::named::Named;
use super::params::{Domain, Origin, ParamInfo, Params, Provenance};
use super::raw::{RawInput, RawValue};
use crate::fy::FinancialYear;
use crate::model::spec::*;
use rust_decimal::Decimal;

/// A problem at a key path of the file being resolved.
#[derive(Debug)]
pub struct ResolveError {
    pub keys: Vec<String>,
    pub message: String,
}

type Result<T> = std::result::Result<T, ResolveError>;

fn fail<T>(keys: &[String], message: impl Into<String>) -> Result<T> {
    Err(ResolveError {
        keys: keys.to_vec(),
        message: message.into(),
    })
}

/// Longest horizon accepted: long enough for any appraisal, short enough to bound work.
pub const MAX_YEARS: u32 = 60;

pub fn resolve(doc: &RawDocument, file: usize) -> Result<(Model, Params)> {
    let root: Vec<String> = Vec::new();
    let need = |present: bool, key: &str| {
        if present {
            Ok(())
        } else {
            fail(&root, format!("missing section `{key}`"))
        }
    };
    need(doc.horizon.is_some(), "horizon")?;
    need(doc.users.is_some(), "users")?;
    for (present, key) in [
        (doc.overrides.is_some(), "overrides"),
        (doc.scale.is_some(), "scale"),
    ] {
        if present {
            return fail(
                &[key.to_string()],
                "only a scenario that `extends` another may have this section",
            );
        }
    }
    let horizon = doc.horizon.as_ref().expect("checked above");
    let horizon_keys = vec!["horizon".to_string()];
    let first_year = FinancialYear::parse(&horizon.first_year)
        .or_else(|m| fail(&key(&horizon_keys, "first_year"), m))?;
    let years = horizon.years.unwrap_or(5);
    if years == 0 || years > MAX_YEARS {
        return fail(
            &key(&horizon_keys, "years"),
            format!("must be from 1 to {MAX_YEARS}, got {years}"),
        );
    }
    let mut b = Builder {
        params: Params::default(),
        years: years as usize,
        first_year,
        file,
    };

    let appraisal_keys = vec!["appraisal".to_string()];
    let appraisal = doc.appraisal.as_ref();
    let discount_rate = b.scalar_or(
        appraisal.and_then(|a| a.discount_rate.as_ref()),
        &key(&appraisal_keys, "discount_rate"),
        Domain::Rate,
        Decimal::new(35, 3),
        "HM Treasury Green Book discount rate, 3.5% real",
    )?;
    let optimism_bias = b.scalar_or(
        appraisal.and_then(|a| a.optimism_bias.as_ref()),
        &key(&appraisal_keys, "optimism_bias"),
        Domain::NonNegative,
        Decimal::ZERO,
        "no optimism-bias uplift on costs",
    )?;

    let raw_users = doc.users.as_ref().expect("checked above");
    let users_keys = vec!["users".to_string()];
    let users = UsersSpec {
        opening: b.scalar(
            &raw_users.opening,
            &key(&users_keys, "opening"),
            Domain::NonNegative,
        )?,
        installs: b.series(
            &raw_users.installs,
            &key(&users_keys, "installs"),
            Domain::NonNegative,
        )?,
        attrition: b.scalar(
            &raw_users.attrition,
            &key(&users_keys, "attrition"),
            Domain::Fraction,
        )?,
        timing: raw_users.install_timing.unwrap_or_default(),
    };

    let mut model = Model {
        first_year,
        years: years as usize,
        rounding: appraisal.and_then(|a| a.rounding).unwrap_or_default(),
        discount_rate,
        discount_first_year: appraisal
            .and_then(|a| a.discount_first_year)
            .unwrap_or(false),
        optimism_bias,
        users,
        benefits: Vec::new(),
        costs: Vec::new(),
        offsets: Vec::new(),
    };
    add_lines(doc, &mut model, &mut b.params, file)?;
    Ok((model, b.params))
}

/// Adds the benefit, cost and offset lines of `doc` to `model`; used for a whole scenario and
/// for the lines an extension adds to its parent. A name already in the section is an error.
pub fn add_lines(
    doc: &RawDocument,
    model: &mut Model,
    params: &mut Params,
    file: usize,
) -> Result<()> {
    let mut b = Builder {
        params: std::mem::take(params),
        years: model.years,
        first_year: model.first_year,
        file,
    };
    let result = (|| {
        let benefits = lines(
            doc.benefits.as_ref(),
            "benefits",
            |name, keys, raw: &RawBenefit| b.benefit(name, keys, raw),
        )?;
        let costs = lines(doc.costs.as_ref(), "costs", |name, keys, raw: &RawCost| {
            b.cost(name, keys, raw)
        })?;
        let offsets = lines(
            doc.offsets.as_ref(),
            "offsets",
            |name, keys, raw: &RawOffset| b.offset(name, keys, raw),
        )?;
        append(&mut model.benefits, benefits, "benefits")?;
        append(&mut model.costs, costs, "costs")?;
        append(&mut model.offsets, offsets, "offsets")
    })();
    *params = b.params;
    result
}

fn append<R>(existing: &mut Vec<Line<R>>, added: Vec<Line<R>>, section: &str) -> Result<()> {
    for line in added {
        if existing.iter().any(|l| l.name == line.name) {
            return fail(
                &[section.to_string(), line.name.clone()],
                "a line of this name is already in the scenario; change it with `overrides`, or `remove` it first",
            );
        }
        existing.push(line);
    }
    Ok(())
}

fn key(parent: &[String], child: &str) -> Vec<String> {
    let mut keys = parent.to_vec();
    keys.push(child.to_string());
    keys
}

fn lines<T, R>(
    section: Option<&Named<T>>,
    name: &str,
    mut build: impl FnMut(&str, &[String], &T) -> Result<Line<R>>,
) -> Result<Vec<Line<R>>> {
    let Some(section) = section else {
        return Ok(Vec::new());
    };
    section
        .iter()
        .map(|(line_name, raw)| {
            let keys = vec![name.to_string(), line_name.clone()];
            check_name(&keys, line_name)?;
            build(line_name, &keys, raw)
        })
        .collect()
}

fn check_name(keys: &[String], name: &str) -> Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return fail(
            keys,
            format!("`{name}` cannot name a line: use letters, digits, `_` and `-`"),
        );
    }
    Ok(())
}

struct Builder {
    params: Params,
    years: usize,
    first_year: FinancialYear,
    file: usize,
}

fn provenance(input: &RawInput) -> Provenance {
    match (
        &input.provenance.source,
        input.provenance.calibrated,
        &input.provenance.reason,
    ) {
        (Some(source), _, _) => Provenance::Source(source.clone()),
        (None, Some(true), Some(reason)) => Provenance::Calibrated(reason.clone()),
        _ => Provenance::Unstated,
    }
}

impl Builder {
    fn info(
        &self,
        keys: &[String],
        year: Option<usize>,
        domain: Domain,
        provenance: Provenance,
    ) -> ParamInfo {
        ParamInfo {
            path: keys.join("."),
            year,
            domain,
            provenance,
            origin: Origin {
                file: self.file,
                keys: keys.to_vec(),
            },
        }
    }

    fn scalar(&mut self, input: &RawInput, keys: &[String], domain: Domain) -> Result<Slot> {
        let RawValue::Single(value) = input.value else {
            return fail(keys, "takes a single `value`, not a value per year");
        };
        let info = self.info(keys, None, domain, provenance(input));
        Ok(self.params.push(value, info))
    }

    fn scalar_or(
        &mut self,
        input: Option<&RawInput>,
        keys: &[String],
        domain: Domain,
        default: Decimal,
        why: &str,
    ) -> Result<Slot> {
        match input {
            Some(input) => self.scalar(input, keys, domain),
            None => {
                let info = self.info(keys, None, domain, Provenance::Default(why.to_string()));
                Ok(self.params.push(default, info))
            }
        }
    }

    fn required<'r>(
        &self,
        input: Option<&'r RawInput>,
        keys: &[String],
        field: &str,
    ) -> Result<&'r RawInput> {
        input.ok_or_else(|| ResolveError {
            keys: keys.to_vec(),
            message: format!("this kind of line needs `{field}`"),
        })
    }

    fn series(&mut self, input: &RawInput, keys: &[String], domain: Domain) -> Result<SeriesSlot> {
        let values = expand(&input.value, self.years).or_else(|m| fail(keys, m))?;
        let first = self.params.values.len();
        for (year, value) in values.into_iter().enumerate() {
            let info = self.info(keys, Some(year), domain, provenance(input));
            self.params.push(value, info);
        }
        Ok(SeriesSlot(first))
    }

    fn year_index(&self, label: &str, keys: &[String]) -> Result<usize> {
        let year = FinancialYear::parse(label).or_else(|m| fail(keys, m))?;
        let index = year.since(self.first_year);
        if index < 0 || index as usize >= self.years {
            return fail(
                keys,
                format!(
                    "{year} is outside the horizon {} to {}",
                    self.first_year,
                    self.first_year.plus(self.years as i32 - 1)
                ),
            );
        }
        Ok(index as usize)
    }

    fn uprating(
        &mut self,
        rate: Option<&RawInput>,
        price_year: Option<&String>,
        keys: &[String],
    ) -> Result<Uprating> {
        let rate = self.scalar_or(
            rate,
            &key(keys, "uprating"),
            Domain::Rate,
            Decimal::ZERO,
            "no uprating",
        )?;
        let years_before_first = match price_year {
            None => 0,
            Some(label) => {
                let year =
                    FinancialYear::parse(label).or_else(|m| fail(&key(keys, "price_year"), m))?;
                self.first_year.since(year)
            }
        };
        if years_before_first.unsigned_abs() > MAX_YEARS {
            return fail(&key(keys, "price_year"), "is too far from the horizon");
        }
        Ok(Uprating {
            rate,
            years_before_first,
        })
    }

    fn unused(&self, keys: &[String], fields: &[(&str, bool)], kind: &str) -> Result<()> {
        for (field, present) in fields {
            if *present {
                return fail(
                    &key(keys, field),
                    format!("is not used by a line of kind `{kind}`"),
                );
            }
        }
        Ok(())
    }

    fn benefit(
        &mut self,
        name: &str,
        keys: &[String],
        raw: &RawBenefit,
    ) -> Result<Line<BenefitRule>> {
        let rule = match raw.kind {
            BenefitKind::Amounts => {
                self.unused(
                    keys,
                    &[
                        ("share", raw.share.is_some()),
                        ("hours_per_week", raw.hours_per_week.is_some()),
                        ("hourly_cost", raw.hourly_cost.is_some()),
                        ("counts", raw.counts.is_some()),
                    ],
                    "amounts",
                )?;
                let amounts = self.required(raw.amounts.as_ref(), keys, "amounts")?;
                BenefitRule::Amounts(self.series(
                    amounts,
                    &key(keys, "amounts"),
                    Domain::NonNegative,
                )?)
            }
            BenefitKind::CareHours => {
                self.unused(keys, &[("amounts", raw.amounts.is_some())], "care_hours")?;
                let share = self.required(raw.share.as_ref(), keys, "share")?;
                let hours = self.required(raw.hours_per_week.as_ref(), keys, "hours_per_week")?;
                let cost = self.required(raw.hourly_cost.as_ref(), keys, "hourly_cost")?;
                BenefitRule::CareHours {
                    counts: raw.counts.unwrap_or_default(),
                    share: self.scalar(share, &key(keys, "share"), Domain::Fraction)?,
                    hours_per_week: self.scalar(
                        hours,
                        &key(keys, "hours_per_week"),
                        Domain::NonNegative,
                    )?,
                    weeks_per_year: self.scalar_or(
                        raw.weeks_per_year.as_ref(),
                        &key(keys, "weeks_per_year"),
                        Domain::Positive,
                        Decimal::from(52),
                        "52 weeks a year",
                    )?,
                    hourly_cost: self.scalar(
                        cost,
                        &key(keys, "hourly_cost"),
                        Domain::NonNegative,
                    )?,
                    uprating: self.uprating(
                        raw.uprating.as_ref(),
                        raw.price_year.as_ref(),
                        keys,
                    )?,
                    realisation: self.scalar_or(
                        raw.realisation.as_ref(),
                        &key(keys, "realisation"),
                        Domain::Fraction,
                        Decimal::ONE,
                        "all of the modelled benefit is realised",
                    )?,
                    duration_years: match &raw.duration_years {
                        Some(input) => Some(self.scalar(
                            input,
                            &key(keys, "duration_years"),
                            Domain::Positive,
                        )?),
                        None => None,
                    },
                }
            }
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: Some(raw.basket),
            rule,
        })
    }

    fn cost(&mut self, name: &str, keys: &[String], raw: &RawCost) -> Result<Line<CostRule>> {
        let kind_name = format!("{:?}", raw.kind).to_lowercase();
        let rule = match raw.kind {
            CostKind::Amounts => {
                self.unused(
                    keys,
                    &[
                        ("unit_cost", raw.unit_cost.is_some()),
                        ("posts", raw.posts.is_some()),
                        ("amount", raw.amount.is_some()),
                    ],
                    &kind_name,
                )?;
                let amounts = self.required(raw.amounts.as_ref(), keys, "amounts")?;
                CostRule::Amounts(self.series(
                    amounts,
                    &key(keys, "amounts"),
                    Domain::NonNegative,
                )?)
            }
            CostKind::OneOff => {
                self.unused(
                    keys,
                    &[
                        ("amounts", raw.amounts.is_some()),
                        ("unit_cost", raw.unit_cost.is_some()),
                    ],
                    "one_off",
                )?;
                let amount = self.required(raw.amount.as_ref(), keys, "amount")?;
                let label = raw.year.as_ref().ok_or_else(|| ResolveError {
                    keys: keys.to_vec(),
                    message: "a one_off cost needs the `year` it falls in".into(),
                })?;
                let year = self.year_index(label, &key(keys, "year"))?;
                CostRule::OneOff {
                    amount: self.scalar(amount, &key(keys, "amount"), Domain::NonNegative)?,
                    year,
                }
            }
            CostKind::PerInstall => {
                self.unused(
                    keys,
                    &[
                        ("amounts", raw.amounts.is_some()),
                        ("users", raw.users.is_some()),
                        ("per", raw.per.is_some()),
                    ],
                    "per_install",
                )?;
                let unit = self.required(raw.unit_cost.as_ref(), keys, "unit_cost")?;
                CostRule::PerInstall {
                    unit_cost: self.scalar(unit, &key(keys, "unit_cost"), Domain::NonNegative)?,
                    uprating: self.uprating(
                        raw.uprating.as_ref(),
                        raw.price_year.as_ref(),
                        keys,
                    )?,
                }
            }
            CostKind::PerUser => {
                self.unused(
                    keys,
                    &[
                        ("amounts", raw.amounts.is_some()),
                        ("posts", raw.posts.is_some()),
                    ],
                    "per_user",
                )?;
                let unit = self.required(raw.unit_cost.as_ref(), keys, "unit_cost")?;
                let periods_per_year = match raw.per.unwrap_or_default() {
                    Period::Week => 52,
                    Period::Month => 12,
                    Period::Year => 1,
                };
                CostRule::PerUser {
                    unit_cost: self.scalar(unit, &key(keys, "unit_cost"), Domain::NonNegative)?,
                    periods_per_year,
                    counts: raw.counts.unwrap_or_default(),
                    users: match &raw.users {
                        Some(input) => {
                            Some(self.series(input, &key(keys, "users"), Domain::NonNegative)?)
                        }
                        None => None,
                    },
                    uprating: self.uprating(
                        raw.uprating.as_ref(),
                        raw.price_year.as_ref(),
                        keys,
                    )?,
                }
            }
            CostKind::Staffing => {
                self.unused(
                    keys,
                    &[
                        ("amounts", raw.amounts.is_some()),
                        ("unit_cost", raw.unit_cost.is_some()),
                    ],
                    "staffing",
                )?;
                let posts = raw.posts.as_ref().ok_or_else(|| ResolveError {
                    keys: keys.to_vec(),
                    message: "a staffing line needs `posts`".into(),
                })?;
                let posts_keys = key(keys, "posts");
                let mut built = Vec::new();
                for (post_name, post) in posts.iter() {
                    let post_keys = key(&posts_keys, post_name);
                    check_name(&post_keys, post_name)?;
                    built.push(Post {
                        name: post_name.clone(),
                        title: label(&post.title, post_name),
                        grade: post.grade.clone(),
                        count: self.scalar(
                            &post.count,
                            &key(&post_keys, "count"),
                            Domain::NonNegative,
                        )?,
                        salary: self.scalar(
                            &post.salary,
                            &key(&post_keys, "salary"),
                            Domain::NonNegative,
                        )?,
                        phasing: self.series(
                            &post.phasing,
                            &key(&post_keys, "phasing"),
                            Domain::NonNegative,
                        )?,
                    });
                }
                if built.is_empty() {
                    return fail(&posts_keys, "a staffing line needs at least one post");
                }
                CostRule::Staffing(built)
            }
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: None,
            rule,
        })
    }

    fn offset(&mut self, name: &str, keys: &[String], raw: &RawOffset) -> Result<Line<OffsetRule>> {
        let rule = match raw.kind {
            OffsetKind::Amounts => {
                self.unused(
                    keys,
                    &[
                        ("weekly_charge", raw.weekly_charge.is_some()),
                        ("chargeable_share", raw.chargeable_share.is_some()),
                    ],
                    "amounts",
                )?;
                let amounts = self.required(raw.amounts.as_ref(), keys, "amounts")?;
                OffsetRule::Amounts(self.series(
                    amounts,
                    &key(keys, "amounts"),
                    Domain::NonNegative,
                )?)
            }
            OffsetKind::UserCharge => {
                self.unused(keys, &[("amounts", raw.amounts.is_some())], "user_charge")?;
                let charge = self.required(raw.weekly_charge.as_ref(), keys, "weekly_charge")?;
                let share =
                    self.required(raw.chargeable_share.as_ref(), keys, "chargeable_share")?;
                OffsetRule::UserCharge {
                    weekly_charge: self.scalar(
                        charge,
                        &key(keys, "weekly_charge"),
                        Domain::NonNegative,
                    )?,
                    chargeable_share: self.scalar(
                        share,
                        &key(keys, "chargeable_share"),
                        Domain::Fraction,
                    )?,
                    weeks_per_year: self.scalar_or(
                        raw.weeks_per_year.as_ref(),
                        &key(keys, "weeks_per_year"),
                        Domain::Positive,
                        Decimal::from(52),
                        "52 weeks a year",
                    )?,
                    counts: raw.counts.unwrap_or(Counts::All),
                }
            }
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: None,
            rule,
        })
    }
}

fn label(given: &Option<String>, name: &str) -> String {
    given.clone().unwrap_or_else(|| name.replace('_', " "))
}

/// The value of each year of the horizon for a per-year input.
pub fn expand(value: &RawValue, years: usize) -> std::result::Result<Vec<Decimal>, String> {
    match value {
        RawValue::Single(_) => {
            Err("takes a value per year: write `per_year: [...]` or `each_year: ...`".into())
        }
        RawValue::EachYear(v) => Ok(vec![*v; years]),
        RawValue::PerYear(list) if list.len() == years => Ok(list.clone()),
        RawValue::PerYear(list) => Err(format!(
            "has {} values but the horizon has {years} years",
            list.len()
        )),
        RawValue::Growing { first, growth } => {
            let step = Decimal::ONE
                .checked_add(*growth)
                .ok_or("growth is too large")?;
            let mut values = Vec::with_capacity(years);
            let mut current = *first;
            for _ in 0..years {
                values.push(current);
                current = current
                    .checked_mul(step)
                    .ok_or("growth overflows the money type")?;
            }
            Ok(values)
        }
    }
}
