//! Reads a scenario file from disk: YAML errors with their place, `extends` with overrides and
//! scale factors, and the range check of every number once the last override is in.

use super::document::RawDocument;
use super::error::{Located, ScenarioError, suggest};
use super::input::InputError;
use super::kpis;
use super::locate::locate;
use super::params::{Origin, Provenance};
use super::raw::RawValue;
use super::resolve::{ResolveError, add_lines, expand, resolve};
use super::text::{parse_yaml, read_text};
use super::tracking;
use super::uncertain::UncertainError;
use super::variant::{not_in_a_variant, parent_of, variant_section};
use super::{Scenario, SourceFile};
use std::path::{Path, PathBuf};

/// How many files an `extends` chain may span.
const MAX_CHAIN: usize = 32;

/// How a scenario read from standard input is named in messages (`<stdin>:14:1: ...`).
pub const STDIN: &str = "<stdin>";

/// True for the name of a scenario read from standard input (no file to check outputs
/// against).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// Loads, resolves and validates the scenario at `path`; `-` reads it from standard input,
/// and then a parent it `extends` is found from the current folder.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    if path.as_os_str() == "-" {
        let name = Path::new(STDIN);
        let text = super::text::read_stdin(name)?;
        return load_from_str(name, &text);
    }
    let text = read_text(path)?;
    load_from_str(path, &text)
}

/// Loads, resolves and validates a scenario from its text: what [`load`] does once it has
/// read the file. `path` names the text in errors, and a parent it `extends` is found relative
/// to `path`'s folder.
pub fn load_from_str(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    let mut chain = Vec::new();
    let mut scenario = load_chain(path, text, &mut chain)?;
    validate(&mut scenario)?;
    Ok(scenario)
}

fn load_chain(
    path: &Path,
    text: &str,
    chain: &mut Vec<PathBuf>,
) -> Result<Scenario, ScenarioError> {
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if chain.contains(&canonical) {
        let cycle: Vec<String> = chain
            .iter()
            .chain([&canonical])
            .map(|p| p.display().to_string())
            .collect();
        return Err(ScenarioError::at(
            path.to_path_buf(),
            None,
            Some("extends".into()),
            format!("`extends` makes a cycle: {}", cycle.join(" -> ")),
        ));
    }
    if chain.len() >= MAX_CHAIN {
        return Err(ScenarioError::at(
            path.to_path_buf(),
            None,
            Some("extends".into()),
            format!("`extends` chain is longer than {MAX_CHAIN} files"),
        ));
    }
    chain.push(canonical);
    let doc: RawDocument = match parse_yaml(path, text) {
        Ok(doc) => doc,
        // A variant's own `users:` fails to parse as a whole section ("missing field
        // `installs`") before the reason it cannot be there is seen; say the reason.
        Err(error) => return Err(variant_section(path, text).unwrap_or(error)),
    };
    let located = |keys: &[String], message: String| {
        ScenarioError::at(
            path.to_path_buf(),
            locate(text, keys),
            Some(keys.join(".")).filter(|k| !k.is_empty()),
            message,
        )
    };

    let Some(parent_name) = &doc.extends else {
        let (mut model, mut params) =
            resolve(&doc, 0).map_err(|ResolveError { keys, message }| located(&keys, message))?;
        kpis::add(doc.kpis.as_ref(), &mut model, &mut params, 0)
            .map_err(|ResolveError { keys, message }| located(&keys, message))?;
        let tracking = tracking::add(doc.tracking.as_ref(), &model, &mut params, 0)
            .map_err(|ResolveError { keys, message }| located(&keys, message))?
            .unwrap_or_default();
        let meta = doc.scenario.clone().unwrap_or_default();
        let mut scenario = Scenario {
            name: meta.name.unwrap_or_else(|| {
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }),
            council: meta.council,
            description: meta.description,
            files: vec![SourceFile {
                path: path.to_path_buf(),
                text: text.to_string(),
            }],
            model,
            params,
            uncertainty: Default::default(),
            tracking,
            warnings: Vec::new(),
        };
        apply_uncertainty(&mut scenario, &doc).map_err(|e| located(&e.keys, e.message))?;
        return Ok(scenario);
    };

    for (present, section) in [
        (doc.horizon.is_some(), "horizon"),
        (doc.appraisal.is_some(), "appraisal"),
        (doc.users.is_some(), "users"),
        (doc.cohorts.is_some(), "cohorts"),
    ] {
        if present {
            return Err(located(&[section.to_string()], not_in_a_variant(section)));
        }
    }
    let parent_path = parent_of(path, parent_name).map_err(|m| located(&["extends".into()], m))?;
    let parent_text = read_text(&parent_path)?;
    let mut scenario = load_chain(&parent_path, &parent_text, chain)?;
    let file = scenario.files.len();
    scenario.files.push(SourceFile {
        path: path.to_path_buf(),
        text: text.to_string(),
    });
    if let Some(meta) = &doc.scenario {
        if let Some(name) = &meta.name {
            scenario.name = name.clone();
        }
        scenario.council = meta.council.clone().or(scenario.council);
        scenario.description = meta.description.clone().or(scenario.description);
    }

    if let Some(removed) = &doc.remove
        && let Err(i) = remove_lines(&mut scenario, removed)
    {
        let line = &removed[i];
        return Err(located(
            &["remove".to_string(), i.to_string()],
            format!(
                "`{line}` is not a line of the parent scenario; write `costs.<name>`, `benefits.<name>` or `offsets.<name>`"
            ),
        ));
    }
    add_lines(&doc, &mut scenario.model, &mut scenario.params, file)
        .map_err(|ResolveError { keys, message }| located(&keys, message))?;
    kpis::add(
        doc.kpis.as_ref(),
        &mut scenario.model,
        &mut scenario.params,
        file,
    )
    .map_err(|ResolveError { keys, message }| located(&keys, message))?;
    if let Some(tracking) = tracking::add(
        doc.tracking.as_ref(),
        &scenario.model,
        &mut scenario.params,
        file,
    )
    .map_err(|ResolveError { keys, message }| located(&keys, message))?
    {
        scenario.tracking = tracking;
    }

    let years = scenario.model.years;
    if let Some(overrides) = &doc.overrides {
        add_start_slots(&mut scenario, overrides.iter().map(|(path, _)| path), file);
    }
    let index = scenario.params.index();
    for (section, entries) in [("overrides", &doc.overrides), ("scale", &doc.scale)] {
        let Some(entries) = entries else { continue };
        for (input_path, input) in entries.iter() {
            let keys = vec![section.to_string(), input_path.clone()];
            // `path[2023/24]`: one year of a series, named as `sweep` and `inputs` name it.
            let one_year = input_path.contains('[');
            let slots = if one_year {
                let input = scenario.input(input_path).map_err(|error| {
                    located(&keys, match error {
                        InputError::Unknown { hint, .. } => format!(
                            "`{input_path}` is not an input of the parent scenario{hint}; `tec-model inputs` lists them"
                        ),
                        InputError::BadYear { message, .. }
                        | InputError::OutOfRange { message, .. } => message,
                    })
                })?;
                input.slots
            } else {
                index.get(input_path).cloned().unwrap_or_default()
            };
            if slots.is_empty() {
                let paths = scenario.params.paths();
                let hint = suggest(input_path, paths.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(located(
                    &keys,
                    format!(
                        "`{input_path}` is not an input of the parent scenario{hint}; `tec-model inputs` lists them"
                    ),
                ));
            }
            let is_series = !one_year && scenario.params.info[slots[0]].year.is_some();
            let values = match (&input.value, section, is_series) {
                (RawValue::Single(v), "scale", _) => vec![*v; slots.len()],
                (_, "scale", _) => {
                    return Err(located(&keys, "a scale factor is a single `value`".into()));
                }
                (RawValue::Single(v), _, false) => vec![*v],
                (_, _, false) if one_year => {
                    return Err(located(
                        &keys,
                        "one year of a series takes a single `value`".into(),
                    ));
                }
                (_, _, false) => {
                    return Err(located(&keys, "this input takes a single `value`".into()));
                }
                (value, _, true) => expand(value, years).map_err(|m| located(&keys, m))?,
            };
            let provenance = Provenance::written(&input.provenance);
            for (slot, value) in slots.into_iter().zip(values) {
                let current = scenario.params.values[slot];
                scenario.params.values[slot] = if section == "scale" {
                    current
                        .checked_mul(value)
                        .ok_or_else(|| located(&keys, "scaling overflows the money type".into()))?
                } else {
                    value
                };
                let info = &mut scenario.params.info[slot];
                info.provenance = if section == "scale" {
                    info.provenance.clone().scaled(value, provenance.clone())
                } else {
                    provenance.clone()
                };
                info.origin = Origin {
                    file,
                    keys: keys.clone(),
                };
            }
        }
    }
    apply_uncertainty(&mut scenario, &doc).map_err(|e| located(&e.keys, e.message))?;
    Ok(scenario)
}

fn apply_uncertainty(scenario: &mut Scenario, doc: &RawDocument) -> Result<(), UncertainError> {
    let model = &scenario.model;
    if let Some(entries) = &doc.uncertain {
        scenario
            .uncertainty
            .add_entries(&entries.0, &scenario.params, |i| model.year_label(i))?;
    }
    if let Some(correlations) = &doc.correlations {
        scenario.uncertainty.add_correlations(correlations)?;
    }
    if let Some(settings) = &doc.simulation {
        scenario.uncertainty.apply_settings(settings)?;
    }
    Ok(())
}

/// Checks every number against its input's range, naming the file and line that set it, and
/// records a warning for a legal value that is probably a mistake; then that no cohort has
/// installs before its start month (they would be dropped, even when an override moved the
/// start).
fn validate(scenario: &mut Scenario) -> Result<(), ScenarioError> {
    let mut warnings = Vec::new();
    for (value, info) in scenario.params.values.iter().zip(&scenario.params.info) {
        let problem = info.domain.check(*value).err();
        let Some(message) = problem.clone().or_else(|| info.domain.advice(*value)) else {
            continue;
        };
        let file = &scenario.files[info.origin.file];
        let key = match info.year {
            Some(year) => format!("{} ({})", info.path, scenario.model.year_label(year)),
            None => info.path.clone(),
        };
        let located = Located {
            file: file.path.clone(),
            position: locate(&file.text, &info.origin.keys),
            key: Some(key),
            message,
        };
        if problem.is_some() {
            return Err(ScenarioError::Invalid(Box::new(located)));
        }
        warnings.push(located);
    }
    let early = super::cohorts::installs_before_start(scenario);
    if let Some((slot, message)) = early {
        let info = &scenario.params.info[slot];
        let file = &scenario.files[info.origin.file];
        let key = match info.year {
            Some(year) => format!("{} ({})", info.path, scenario.model.year_label(year)),
            None => info.path.clone(),
        };
        return Err(ScenarioError::at(
            file.path.clone(),
            locate(&file.text, &info.origin.keys),
            Some(key),
            message,
        ));
    }
    scenario.warnings = warnings;
    Ok(())
}

/// A start month the parent does not give (its installs begin in April of the first year)
/// may be set by a variant's `overrides` of `users.start` or `cohorts.<name>.start`, in months
/// from 1 April of the first year, as the input would be: the slot is made here, at 0 (April),
/// and the override then writes its value and provenance like any other.
fn add_start_slots<'a>(
    scenario: &mut Scenario,
    paths: impl Iterator<Item = &'a String>,
    file: usize,
) {
    let years = scenario.model.years;
    for path in paths {
        let Some(name) = path.strip_suffix(".start") else {
            continue;
        };
        let name = match name.strip_prefix("cohorts.") {
            Some(name) => name,
            None if name == "users" => super::cohorts::USERS,
            None => continue,
        };
        let params = &mut scenario.params;
        let Some(cohort) =
            (scenario.model.users.cohorts.iter_mut()).find(|c| c.name == name && c.start.is_none())
        else {
            continue;
        };
        let keys = vec!["overrides".to_string(), path.clone()];
        let info = super::params::ParamInfo {
            path: path.clone(),
            year: None,
            domain: super::domain::Domain::UpTo(rust_decimal::Decimal::from(years as u64 * 12 - 1)),
            provenance: Provenance::default("April of the first year"),
            origin: Origin { file, keys },
        };
        cohort.start = Some(params.push(rust_decimal::Decimal::ZERO, info));
    }
}

/// Drops the lines named `section.name`, in one pass over each section and one over the
/// inputs (a long `remove` list costs no more than a short one per line); their parameters
/// stay in the vector, unused. On a name that is not a line, or is given twice, its index.
fn remove_lines(scenario: &mut Scenario, lines: &[String]) -> Result<(), usize> {
    use std::collections::HashSet;
    let model = &mut scenario.model;
    let key = |section: &str, name: &str| format!("{section}.{name}");
    let existing: HashSet<String> = (model.benefits.iter().map(|l| key("benefits", &l.name)))
        .chain(model.costs.iter().map(|l| key("costs", &l.name)))
        .chain(model.offsets.iter().map(|l| key("offsets", &l.name)))
        .collect();
    let mut removed: HashSet<&str> = HashSet::new();
    for (i, line) in lines.iter().enumerate() {
        if !existing.contains(line) || !removed.insert(line) {
            return Err(i);
        }
    }
    model
        .benefits
        .retain(|l| !removed.contains(key("benefits", &l.name).as_str()));
    model
        .costs
        .retain(|l| !removed.contains(key("costs", &l.name).as_str()));
    model
        .offsets
        .retain(|l| !removed.contains(key("offsets", &l.name).as_str()));
    let params = &mut scenario.params;
    let paths = (params.info.iter_mut().map(|i| &mut i.path))
        .chain(params.settings.iter_mut().map(|s| &mut s.path));
    for path in paths {
        // An input path is `section.line.input...`; line names hold no dots.
        let line = path.match_indices('.').nth(1).map(|(at, _)| &path[..at]);
        if line.is_some_and(|line| removed.contains(line)) {
            *path = format!("(removed) {path}");
        }
    }
    Ok(())
}
