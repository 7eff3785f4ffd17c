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

pub(super) type Result<T> = std::result::Result<T, ResolveError>;

pub(super) fn fail<T>(keys: &[String], message: impl Into<String>) -> Result<T> {
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
    let years = horizon.years.map_or(5, |w| w.0);
    if years == 0 || years > MAX_YEARS as u64 {
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
        cohort_names: Vec::new(),
    };
    b.params.setting(
        &key(&horizon_keys, "years"),
        horizon.years.map(|y| y.0.to_string()),
        || ("5".into(), "five financial years".into()),
    );

    let appraisal_keys = vec!["appraisal".to_string()];
    let appraisal = doc.appraisal.as_ref();
    let discount_rate = b.scalar_or(
        appraisal.and_then(|a| a.discount_rate.as_ref()),
        &key(&appraisal_keys, "discount_rate"),
        Domain::DiscountRate,
        Decimal::new(35, 3),
        "HM Treasury Green Book discount rate, 3.5% real",
    )?;
    let optimism_bias = b.scalar_or(
        appraisal.and_then(|a| a.optimism_bias.as_ref()),
        &key(&appraisal_keys, "optimism_bias"),
        Domain::Uplift,
        Decimal::ZERO,
        "no optimism-bias uplift on costs",
    )?;

    let users = b.users_spec(doc)?;
    let rounding = appraisal.and_then(|a| a.rounding);
    b.params.setting(
        &key(&appraisal_keys, "rounding"),
        rounding.map(|r| r.key().into()),
        || {
            (
                Rounding::default().key().into(),
                "each line's amount in each year to the pound, half away from zero".into(),
            )
        },
    );
    let discount_first_year = appraisal.and_then(|a| a.discount_first_year);
    b.params.setting(
        &key(&appraisal_keys, "discount_first_year"),
        discount_first_year.map(|d| d.to_string()),
        || {
            (
                "false".into(),
                "year one is not discounted (factor 1), as the Green Book does".into(),
            )
        },
    );

    let mut model = Model {
        first_year,
        years: years as usize,
        rounding: rounding.unwrap_or_default(),
        discount_rate,
        discount_first_year: discount_first_year.unwrap_or(false),
        optimism_bias,
        users,
        benefits: Vec::new(),
        costs: Vec::new(),
        offsets: Vec::new(),
        kpis: Vec::new(),
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
        cohort_names: model.users.cohorts.iter().map(|c| c.name.clone()).collect(),
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
    let mut names: std::collections::HashSet<String> =
        existing.iter().map(|l| l.name.clone()).collect();
    for line in added {
        if !names.insert(line.name.clone()) {
            return fail(
                &[section.to_string(), line.name.clone()],
                "a line of this name is already in the scenario; change it with `overrides`, or `remove` it first",
            );
        }
        existing.push(line);
    }
    Ok(())
}

pub(super) fn key(parent: &[String], child: &str) -> Vec<String> {
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

pub(super) fn check_name(keys: &[String], name: &str) -> Result<()> {
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

pub(super) struct Builder {
    pub(super) params: Params,
    pub(super) years: usize,
    pub(super) first_year: FinancialYear,
    pub(super) file: usize,
    /// The scenario's cohorts, for a line's `cohort:`.
    pub(super) cohort_names: Vec<String>,
}

fn provenance(input: &RawInput) -> Provenance {
    Provenance::written(&input.provenance)
}

impl Builder {
    pub(super) fn info(
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

    pub(super) fn scalar(
        &mut self,
        input: &RawInput,
        keys: &[String],
        domain: Domain,
    ) -> Result<Slot> {
        let RawValue::Single(value) = input.value else {
            return fail(keys, "takes a single `value`, not a value per year");
        };
        let info = self.info(keys, None, domain, provenance(input));
        Ok(self.params.push(value, info))
    }

    pub(super) fn scalar_or(
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
                let info = self.info(keys, None, domain, Provenance::default(why));
                Ok(self.params.push(default, info))
            }
        }
    }

    /// An input given once (`value`) or per year, with a default for every year.
    pub(super) fn yearly_or(
        &mut self,
        input: Option<&RawInput>,
        keys: &[String],
        domain: Domain,
        default: Decimal,
        why: &str,
    ) -> Result<Yearly> {
        match input {
            Some(input) if !matches!(input.value, RawValue::Single(_)) => {
                Ok(Yearly::PerYear(self.series(input, keys, domain)?))
            }
            _ => Ok(Yearly::Once(
                self.scalar_or(input, keys, domain, default, why)?,
            )),
        }
    }

    pub(super) fn required<'r>(
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

    pub(super) fn series(
        &mut self,
        input: &RawInput,
        keys: &[String],
        domain: Domain,
    ) -> Result<SeriesSlot> {
        let values = expand(&input.value, self.years).or_else(|m| fail(keys, m))?;
        let first = self.params.values.len();
        for (year, value) in values.into_iter().enumerate() {
            let info = self.info(keys, Some(year), domain, provenance(input));
            self.params.push(value, info);
        }
        Ok(SeriesSlot(first))
    }

    pub(super) fn year_index(&self, label: &str, keys: &[String]) -> Result<usize> {
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

    pub(super) fn uprating(
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
        let first = self.first_year;
        self.params
            .setting(&key(keys, "price_year"), price_year.cloned(), || {
                (
                    first.to_string(),
                    "priced in the first year of the horizon".into(),
                )
            });
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

    /// Refuses any field given that a line of this kind does not use: a typo'd kind must never
    /// leave a number silently ignored.
    pub(super) fn only(
        &self,
        keys: &[String],
        fields: &[(&str, bool)],
        allowed: &[&str],
        kind: &str,
    ) -> Result<()> {
        match fields
            .iter()
            .find(|(field, present)| *present && !allowed.contains(field))
        {
            Some((field, _)) => fail(
                &key(keys, field),
                format!("is not used by a line of kind `{kind}`"),
            ),
            None => Ok(()),
        }
    }
}

pub(super) fn label(given: &Option<String>, name: &str) -> String {
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
